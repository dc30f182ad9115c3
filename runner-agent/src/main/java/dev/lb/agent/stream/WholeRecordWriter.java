package dev.lb.agent.stream;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Appends records (whole lines, each ending in its only newline) to a file so that the file only ever holds whole
 * lines: when an append fails part-way (a full disk writes what fits, then fails with ENOSPC; EIO) it cuts the file
 * back to just after its last newline, which is where the failed record started, and stops: every later write is
 * refused with the same failure. Carrying on would be worse: a later, smaller record might fit and land after a hole
 * of lost ones, or a torn line would sit in the middle of the file.
 *
 * <p>The end of the last whole line is found after a failure, not noted before every record: that costs nothing per
 * record, and stays right when another process appends its own lines to the file (a workload writing LB_EVENT
 * lines): whatever they appended whole before our record stays.
 *
 * <p>Not thread-safe; {@link EventStream} serialises writes.
 */
final class WholeRecordWriter {
    private static final int SCAN_CHUNK = 64 * 1024;

    private final RecordFile file;
    private final Path path;
    /** Where this writer's last record ended; -1 before the first. The file ends there unless someone else wrote. */
    private long ourEnd = -1;
    private long records;
    private StreamWriteFailure failure;

    WholeRecordWriter(RecordFile file, Path path) {
        this.file = file;
        this.path = path;
    }

    /**
     * Writes {@code record} whole, or not at all and then throws {@link StreamStoppedException}. It starts at a line
     * boundary: when the file does not end in a newline (another writer left a cut line since), a newline goes first,
     * in the same write, so the cut line stays the only broken one. Returns the bytes written.
     */
    int append(byte[] record) throws StreamStoppedException {
        byte[] bytes = record;
        if (failure == null) {
            try {
                long size = file.size();
                if (size != ourEnd && size > 0 && !endsInNewline(size)) {
                    bytes = new byte[record.length + 1];
                    bytes[0] = '\n';
                    System.arraycopy(record, 0, bytes, 1, record.length);
                }
                ourEnd = size + bytes.length;
            } catch (IOException e) {
                failure = cutBack(e);
                throw new StreamStoppedException(failure, e);
            }
        }
        write(bytes);
        records++;
        return bytes.length;
    }

    private boolean endsInNewline(long size) throws IOException {
        byte[] last = new byte[1];
        return file.read(size - 1, last, 0, 1) == 1 && last[0] == '\n';
    }

    /**
     * Ends someone else's partial line (a killed writer's) with a newline, before the first record: not counted as
     * a record. When even that fails, the cut-back removes the torn line too: the file keeps whole lines only.
     */
    void endPartialLine() throws StreamStoppedException {
        write(new byte[] {'\n'});
    }

    private void write(byte[] record) throws StreamStoppedException {
        if (failure != null) {
            throw new StreamStoppedException(failure, null);
        }
        try {
            file.append(record);
        } catch (IOException e) {
            failure = cutBack(e);
            throw new StreamStoppedException(failure, e);
        }
    }

    private StreamWriteFailure cutBack(IOException e) {
        long end = -1;
        String truncateError = null;
        try {
            end = endOfLastLine();
            file.truncate(end); // nothing to cut when none of the record reached the file
        } catch (IOException t) {
            truncateError = message(t);
        }
        return new StreamWriteFailure(path, message(e), records, end, truncateError);
    }

    /** The offset just after the file's last newline; 0 when it has none. */
    private long endOfLastLine() throws IOException {
        long pos = file.size();
        byte[] chunk = new byte[SCAN_CHUNK];
        while (pos > 0) {
            long from = Math.max(0, pos - chunk.length);
            int want = (int) (pos - from);
            for (int got = 0; got < want; ) {
                int n = file.read(from + got, chunk, got, want - got);
                if (n <= 0) {
                    throw new IOException("the file ended at " + (from + got) + " while reading back to " + pos);
                }
                got += n;
            }
            for (int i = want - 1; i >= 0; i--) {
                if (chunk[i] == '\n') {
                    return from + i + 1;
                }
            }
            pos = from;
        }
        return 0;
    }

    private static String message(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    StreamWriteFailure failure() {
        return failure;
    }

    long records() {
        return records;
    }
}

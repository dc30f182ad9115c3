package dev.lb.agent.stream;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Appends records (whole lines) to a file so that the file only ever holds whole records: it notes where each
 * record starts (the file's size just before it), and when an append fails part-way (a full disk writes what fits,
 * then fails with ENOSPC; EIO) it cuts the file back to that point and stops: every later write is refused with the
 * same failure. Carrying on would be worse: a later, smaller record might fit and land after a hole of lost ones, or
 * a torn line would sit in the middle of the file.
 *
 * <p>Another process appending to the same file between the size check and the append would lose its bytes with
 * ours in the cut-back; on a full disk its own append fails anyway.
 *
 * <p>Not thread-safe; {@link EventStream} serialises writes.
 */
final class WholeRecordWriter {
    private final RecordFile file;
    private final Path path;
    private long records;
    private StreamWriteFailure failure;

    WholeRecordWriter(RecordFile file, Path path) {
        this.file = file;
        this.path = path;
    }

    /** Writes {@code record} whole, or not at all and then throws {@link StreamStoppedException}. */
    void append(byte[] record) throws StreamStoppedException {
        write(record);
        records++;
    }

    /**
     * Writes bytes that end someone else's partial line (a killed writer's): kept whole like a record, not counted
     * as one.
     */
    void endPartialLine() throws StreamStoppedException {
        write(new byte[] {'\n'});
    }

    private void write(byte[] record) throws StreamStoppedException {
        if (failure != null) {
            throw new StreamStoppedException(failure, null);
        }
        long start;
        try {
            start = file.size();
        } catch (IOException e) {
            failure = new StreamWriteFailure(path, message(e), records, -1, null);
            throw new StreamStoppedException(failure, e);
        }
        try {
            file.append(record);
        } catch (IOException e) {
            failure = cutBack(e, start);
            throw new StreamStoppedException(failure, e);
        }
    }

    private StreamWriteFailure cutBack(IOException e, long start) {
        String truncateError = null;
        try {
            file.truncate(start); // nothing to cut when none of the record reached the file
        } catch (IOException t) {
            truncateError = message(t);
        }
        return new StreamWriteFailure(path, message(e), records, start, truncateError);
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

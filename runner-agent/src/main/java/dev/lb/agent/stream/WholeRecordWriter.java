package dev.lb.agent.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Appends records (whole lines) to a file so that the file only ever holds whole records: it tracks the length of
 * what was written completely (the committed length), and when a write fails part-way (a full disk writes what
 * fits, then fails with ENOSPC; EIO) it cuts the file back to that length and stops: every later write is refused
 * with the same failure. Carrying on would be worse: a later, smaller record might fit and land after a hole of
 * lost ones, or a torn line would sit in the middle of the file.
 *
 * <p>Not thread-safe; {@link EventStream} serialises writes.
 */
final class WholeRecordWriter {
    private final RecordFile file;
    private final Path path;
    private long committed;
    private long records;
    private StreamWriteFailure failure;

    /** @param committed the file's length now, which must end at a record boundary (or be 0) */
    WholeRecordWriter(RecordFile file, Path path, long committed) {
        this.file = file;
        this.path = path;
        this.committed = committed;
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
        ByteBuffer buf = ByteBuffer.wrap(record);
        try {
            while (buf.hasRemaining()) {
                int n = file.write(buf, committed + buf.position());
                if (n <= 0) {
                    // A regular file never takes zero bytes without an error; looping would spin for ever.
                    throw new IOException("the file took no bytes of a " + record.length + "-byte record");
                }
            }
        } catch (IOException e) {
            failure = cutBack(e);
            throw new StreamStoppedException(failure, e);
        }
        committed += record.length;
    }

    private StreamWriteFailure cutBack(IOException e) {
        String truncateError = null;
        try {
            file.truncate(committed); // no-op when nothing of the failed record reached the file
        } catch (IOException t) {
            truncateError = message(t);
        }
        return new StreamWriteFailure(path, message(e), records, committed, truncateError);
    }

    private static String message(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    StreamWriteFailure failure() {
        return failure;
    }

    long committed() {
        return committed;
    }

    long records() {
        return records;
    }
}

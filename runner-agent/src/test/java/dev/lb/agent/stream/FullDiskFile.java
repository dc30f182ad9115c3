package dev.lb.agent.stream;

import java.io.IOException;
import java.util.Arrays;

/**
 * A {@link RecordFile} in memory on a "disk" of {@code capacity} bytes, failing the way a full disk does: a write
 * that does not fit writes what fits and returns the short count; the next one throws "No space left on device".
 * Optionally the cut-back (truncate) fails too, with EIO, or writes fail with EIO after a number of calls without
 * writing anything.
 */
final class FullDiskFile implements RecordFile {
    static final String ENOSPC = "No space left on device";
    static final String EIO = "Input/output error";

    private byte[] data;
    private final long capacity;
    private boolean failTruncate;
    private int writesBeforeEio = -1;
    long truncatedTo = -1;
    int writeCalls;

    FullDiskFile(byte[] initial, long capacity) {
        this.data = initial.clone();
        this.capacity = capacity;
    }

    static FullDiskFile withRoomFor(long capacity) {
        return new FullDiskFile(new byte[0], capacity);
    }

    FullDiskFile failingTruncate() {
        failTruncate = true;
        return this;
    }

    /** Fails the write call after {@code n} successful ones with EIO, nothing of it written. */
    FullDiskFile eioAfterWrites(int n) {
        writesBeforeEio = n;
        return this;
    }

    /** Like the JDK on a full disk: what fits is written (a short write), then the repeat fails with ENOSPC. */
    @Override
    public void append(byte[] record) throws IOException {
        writeCalls++;
        if (writesBeforeEio >= 0 && writeCalls > writesBeforeEio) {
            throw new IOException(EIO);
        }
        long room = capacity - data.length;
        int n = (int) Math.max(0, Math.min(room, record.length));
        byte[] grown = Arrays.copyOf(data, data.length + n);
        System.arraycopy(record, 0, grown, data.length, n);
        data = grown;
        if (n < record.length) {
            throw new IOException(ENOSPC);
        }
    }

    @Override
    public void truncate(long size) throws IOException {
        if (failTruncate) {
            throw new IOException(EIO);
        }
        truncatedTo = size;
        if (size < data.length) {
            data = Arrays.copyOf(data, (int) size);
        }
    }

    @Override
    public long size() {
        return data.length;
    }

    @Override
    public int read(long position, byte[] into, int off, int len) {
        int n = (int) Math.max(0, Math.min(len, data.length - position));
        System.arraycopy(data, (int) position, into, off, n);
        return n;
    }

    @Override
    public void force() {
    }

    @Override
    public void close() {
    }

    byte[] content() {
        return data.clone();
    }
}

package dev.lb.agent.stream;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A {@link RecordFile} on a real file: unbuffered, each record one write(2) at its position.
 *
 * <p>A {@link RandomAccessFile}, not a {@link java.nio.channels.FileChannel}: a FileChannel is closed for good when a
 * thread writing to it is interrupted (ClosedByInterruptException), and the agent interrupts threads that emit
 * events (the k6 log follower when it is stopped). That would end the stream for every other thread too.
 */
final class DiskRecordFile implements RecordFile {
    private final RandomAccessFile file;

    private DiskRecordFile(RandomAccessFile file) {
        this.file = file;
    }

    static DiskRecordFile open(Path path) throws IOException {
        return new DiskRecordFile(new RandomAccessFile(path.toFile(), "rw"));
    }

    /** All of {@code src} or an exception: write(2) is retried by the JDK after a short write, which then fails. */
    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        int n = src.remaining();
        file.seek(position);
        if (src.hasArray()) {
            file.write(src.array(), src.arrayOffset() + src.position(), n);
        } else {
            byte[] copy = new byte[n];
            src.duplicate().get(copy);
            file.write(copy);
        }
        src.position(src.position() + n);
        return n;
    }

    @Override
    public void truncate(long size) throws IOException {
        if (size < file.length()) {
            file.setLength(size);
        }
    }

    @Override
    public long size() throws IOException {
        return file.length();
    }

    @Override
    public int lastByte() throws IOException {
        long size = file.length();
        if (size == 0) {
            return -1;
        }
        file.seek(size - 1);
        return file.read();
    }

    @Override
    public void force() throws IOException {
        file.getFD().sync();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}

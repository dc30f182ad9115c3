package dev.lb.agent.stream;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * A {@link RecordFile} on a real file: unbuffered, each record one append (O_APPEND), so a line another process
 * appends to the same file (a workload or a test writing its own LB_EVENT lines) is never overwritten.
 *
 * <p>Streams, not a {@link java.nio.channels.FileChannel}: a FileChannel is closed for good when a thread using it is
 * interrupted (ClosedByInterruptException), and the agent interrupts threads that emit events (the k6 log follower
 * when it is stopped); that would end the stream for every other thread too. The second descriptor
 * ({@link RandomAccessFile}) reads the size and cuts the file back; both refer to the same file.
 */
final class DiskRecordFile implements RecordFile {
    private final FileOutputStream out;
    private final RandomAccessFile file;

    private DiskRecordFile(FileOutputStream out, RandomAccessFile file) {
        this.out = out;
        this.file = file;
    }

    static DiskRecordFile open(Path path) throws IOException {
        FileOutputStream out = new FileOutputStream(path.toFile(), true);
        try {
            return new DiskRecordFile(out, new RandomAccessFile(path.toFile(), "rw"));
        } catch (IOException e) {
            out.close();
            throw e;
        }
    }

    /** The JDK repeats write(2) after a short write; on a full disk the repeat fails with ENOSPC. */
    @Override
    public void append(byte[] record) throws IOException {
        out.write(record);
    }

    @Override
    public long size() throws IOException {
        return file.length();
    }

    @Override
    public void truncate(long size) throws IOException {
        if (size < file.length()) {
            file.setLength(size);
        }
    }

    @Override
    public int read(long position, byte[] into, int off, int len) throws IOException {
        file.seek(position);
        int n = file.read(into, off, len);
        return Math.max(n, 0);
    }

    @Override
    public void force() throws IOException {
        out.getFD().sync();
    }

    @Override
    public void close() throws IOException {
        try {
            out.close();
        } finally {
            file.close();
        }
    }
}

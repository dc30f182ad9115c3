package dev.lb.agent.stream;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The file whole records are written to: positional writes, truncation and durability, nothing else. It exists as
 * a seam: a test's file can fail a write after any number of bytes, the way a full disk does (a short write, then
 * ENOSPC), which a real disk cannot be made to do at every point.
 */
interface RecordFile extends Closeable {
    /** Writes from {@code src} at {@code position}; returns how many bytes were written (possibly fewer than asked). */
    int write(ByteBuffer src, long position) throws IOException;

    void truncate(long size) throws IOException;

    long size() throws IOException;

    /** The last byte of the file, or -1 when it is empty. */
    int lastByte() throws IOException;

    void force() throws IOException;
}

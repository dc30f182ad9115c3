package dev.lb.agent.stream;

import java.io.Closeable;
import java.io.IOException;

/**
 * The file whole records are appended to: appends, its size, truncation and durability, nothing else. It exists as
 * a seam: a test's file can fail an append after any number of bytes, the way a full disk does (what fits is
 * written, then ENOSPC), which a real disk cannot be made to do at every point.
 */
interface RecordFile extends Closeable {
    /** Appends all of {@code record} at the end of the file, or throws; part of it may be in the file then. */
    void append(byte[] record) throws IOException;

    long size() throws IOException;

    /** Cuts the file to {@code size} bytes when it is longer. */
    void truncate(long size) throws IOException;

    /** Reads up to {@code len} bytes at {@code position} into {@code into[off..]}; returns how many (0 at the end). */
    int read(long position, byte[] into, int off, int len) throws IOException;

    void force() throws IOException;
}

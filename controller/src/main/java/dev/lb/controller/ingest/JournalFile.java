package dev.lb.controller.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The few file operations the journal needs, so that a test can make any of them fail at any byte (a full disk
 * fails a write part-way: some bytes are on disk, then ENOSPC).
 */
public interface JournalFile extends Closeable {
    /** Writes some of {@code bytes} at the end of the file; returns how many. */
    int write(ByteBuffer bytes) throws IOException;

    /** Cuts the file back to {@code size} bytes (a full disk still allows this: it frees room). */
    void truncate(long size) throws IOException;

    long size() throws IOException;

    /** Reads into {@code into} from {@code position} of the file; -1 at its end. */
    int read(ByteBuffer into, long position) throws IOException;

    /** The real file, opened to append. */
    static JournalFile open(Path file, StandardOpenOption... options) throws IOException {
        FileChannel ch = FileChannel.open(file, options);
        ch.position(ch.size());
        return new JournalFile() {
            @Override
            public int write(ByteBuffer bytes) throws IOException {
                return ch.write(bytes);
            }

            @Override
            public void truncate(long size) throws IOException {
                ch.truncate(size);
                ch.position(size);
            }

            @Override
            public long size() throws IOException {
                return ch.size();
            }

            @Override
            public int read(ByteBuffer into, long position) throws IOException {
                return ch.read(into, position);
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }
}

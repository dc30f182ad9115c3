package dev.lb.protocol;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads what was appended to a file since the last call and feeds it to a {@link LineSplitter}, which emits only
 * complete lines. Used by every follower of a growing file (the agent following k6's log, the controller tailing
 * the callback's JSONL file). A file that does not exist yet reads as nothing; a file that shrank (truncated) is
 * read again from the start, and the caller is told so. Not thread-safe: one reader per instance.
 */
public final class FileTail {
    /** What one {@link #readNew} call found. */
    public record Read(long bytes, boolean restarted, long previousOffset, long size) {
    }

    private final Path file;
    private final LineSplitter splitter;
    private final byte[] buf = new byte[1 << 16];
    private long offset;

    public FileTail(Path file, LineSplitter splitter) {
        this.file = file;
        this.splitter = splitter;
    }

    /** Feeds the bytes appended since the last call; throws on a read error, which the caller counts and retries. */
    public Read readNew() throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            return new Read(0, false, offset, -1);
        }
        long previous = offset;
        boolean restarted = size < offset;
        if (restarted) {
            offset = 0;
        }
        long read = 0;
        if (size > offset) {
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                f.seek(offset);
                for (int n; (n = f.read(buf)) > 0; ) {
                    splitter.feed(buf, 0, n);
                    offset += n;
                    read += n;
                }
            }
        }
        return new Read(read, restarted, previous, size);
    }

    /** The source is complete: a last line without newline is emitted as a line. */
    public void finish() {
        splitter.finish();
    }

    public long offset() {
        return offset;
    }

    public Path file() {
        return file;
    }
}

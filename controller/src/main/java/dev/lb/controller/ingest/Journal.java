package dev.lb.controller.ingest;

import dev.lb.controller.listener.Sighting;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code journal.jsonl}: every accepted event, in arrival order, one line each:
 * {@code {"received": epoch seconds, "path": "stdout"|"jsonl", "event": {payload}}}.
 * Flushed whenever ingest has caught up, so a controller that crashes leaves a journal that is complete up to a
 * moment before the crash and never ends in a torn line that matters (a reader skips a last partial line).
 */
public final class Journal implements Closeable {
    public static final String FILE = "journal.jsonl";

    private final BufferedWriter out;
    private long written;

    private Journal(BufferedWriter out) {
        this.out = out;
    }

    public static Journal create(Path runDir) throws IOException {
        return new Journal(new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(runDir.resolve(FILE),
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), StandardCharsets.UTF_8), 1 << 16));
    }

    /**
     * Opens an existing journal to append to (lb recover). A torn last line, left by a controller that died mid-write,
     * is cut off first, so the next record starts on a line of its own; returns how many bytes were cut through
     * {@code tornBytes}. The event of a torn line is recovered from the targets' stream files like any other.
     */
    public static Journal openForAppend(Path runDir, long[] tornBytes) throws IOException {
        Path file = runDir.resolve(FILE);
        if (!Files.exists(file)) {
            return create(runDir);
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            long size = ch.size();
            long keep = size;
            java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
            while (keep > 0) {
                one.clear();
                ch.read(one, keep - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                keep--;
            }
            tornBytes[0] = size - keep;
            if (keep < size) {
                ch.truncate(keep);
            }
        }
        return new Journal(new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), StandardCharsets.UTF_8), 1 << 16));
    }

    public void append(Sighting s) throws IOException {
        out.write("{\"received\":");
        out.write(seconds(s.receivedMillis()));
        out.write(",\"path\":\"");
        out.write(s.path().wireName());
        out.write("\",\"event\":");
        out.write(s.event().payloadJson());
        out.write("}\n");
        written++;
    }

    public void flush() throws IOException {
        out.flush();
    }

    public long written() {
        return written;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private static String seconds(long millis) {
        return java.math.BigDecimal.valueOf(millis, 3).toPlainString();
    }
}

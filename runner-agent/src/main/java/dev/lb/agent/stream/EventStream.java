package dev.lb.agent.stream;

import dev.lb.protocol.Event;
import dev.lb.protocol.EventEncoder;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The event stream file: LB_EVENT lines appended one whole line per {@code write(2)}, unbuffered, so a reader (the
 * poll module) sees every event as soon as it is written and never half of one, and a killed agent leaves at most
 * one partial line at the end.
 *
 * <p>The file may already exist (earlier repetitions append to the same file) and may end in a partial line (an
 * agent killed mid-write); a newline is written first in that case so the first new event starts on a line of its
 * own and the broken line stays recognisably broken.
 */
public final class EventStream implements Closeable {
    private final Path path;
    private final FileOutputStream out;
    private long events;
    private long bytes;

    private EventStream(Path path, FileOutputStream out) {
        this.path = path;
        this.out = out;
    }

    public static EventStream open(Path path) throws IOException {
        boolean needsNewline = endsInPartialLine(path);
        FileOutputStream out = new FileOutputStream(path.toFile(), true);
        EventStream stream = new EventStream(path, out);
        if (needsNewline) {
            out.write('\n');
        }
        return stream;
    }

    private static boolean endsInPartialLine(Path path) throws IOException {
        if (!Files.exists(path) || Files.size(path) == 0) {
            return false;
        }
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
            f.seek(f.length() - 1);
            return f.read() != '\n';
        }
    }

    /** Writes one event as one line. Callers serialize emission (see {@link Emitter}), so no lock is taken here. */
    synchronized void write(Event event) throws IOException {
        byte[] line = (EventEncoder.line(event) + "\n").getBytes(StandardCharsets.UTF_8);
        out.write(line);
        events++;
        bytes += line.length;
    }

    /** Forces written events to disk; called before the status file is written. */
    public synchronized void sync() throws IOException {
        out.getFD().sync();
    }

    public Path path() {
        return path;
    }

    public synchronized long events() {
        return events;
    }

    public synchronized long bytes() {
        return bytes;
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}

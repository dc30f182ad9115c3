package dev.lb.agent.stream;

import dev.lb.protocol.Event;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
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
 *
 * <p>No line is longer than the event line limit (see {@link EventLineFitter}): every event of every source passes
 * through {@link #write}, so none is ever too long for the poll step to deliver.
 */
public final class EventStream implements Closeable {
    /** The default limit on one encoded line, newline included; it must stay below the poll step's max_bytes. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 1 << 20;
    public static final int MIN_MAX_EVENT_BYTES = EventLineFitter.MIN_MAX_EVENT_BYTES;

    private final Path path;
    private final FileOutputStream out;
    private final EventLineFitter fitter;
    private long events;
    private long bytes;

    private EventStream(Path path, FileOutputStream out, EventLineFitter fitter) {
        this.path = path;
        this.out = out;
        this.fitter = fitter;
    }

    public static EventStream open(Path path) throws IOException {
        return open(path, DEFAULT_MAX_EVENT_BYTES);
    }

    /** Opens for appending; no line written will be longer than {@code maxEventBytes} (at least 4096). */
    public static EventStream open(Path path, int maxEventBytes) throws IOException {
        EventLineFitter fitter = new EventLineFitter(maxEventBytes);
        boolean needsNewline = endsInPartialLine(path);
        FileOutputStream out = new FileOutputStream(path.toFile(), true);
        EventStream stream = new EventStream(path, out, fitter);
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

    /**
     * Writes one event as one line, shortened to the event line limit when it is longer. Nothing is logged here:
     * a log record would become an event written in the middle of this one (see {@link Emitter}).
     */
    synchronized void write(Event event) throws IOException {
        byte[] line = fitter.line(event.payload());
        out.write(line);
        events++;
        bytes += line.length;
    }

    /** Forces written events to disk; called before the status file is written. */
    public synchronized void sync() throws IOException {
        out.getFD().sync();
    }

    public int maxEventBytes() {
        return fitter.maxBytes();
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

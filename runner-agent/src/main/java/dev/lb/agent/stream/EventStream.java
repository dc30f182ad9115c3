package dev.lb.agent.stream;

import dev.lb.protocol.Event;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The event stream file: LB_EVENT lines appended one whole line per {@code write(2)}, unbuffered, so a reader (the
 * poll module) sees every event as soon as it is written and never half of one, and a killed agent leaves at most
 * one partial line at the end.
 *
 * <p>The file may already exist (earlier repetitions append to the same file) and may end in a partial line (an
 * agent killed mid-write); a newline is written first in that case so the first new event starts on a line of its
 * own and the broken line stays recognisably broken. The same holds before every event: another process appending
 * to the file (a workload, anyone) may leave a line without its newline, and the next event then starts with one.
 *
 * <p>A write that fails (a full disk, EIO) leaves no partial line: the file is cut back to the end of the last
 * whole event and not written any more (see {@link WholeRecordWriter}); {@link #failure()} says why and how many
 * events the file holds, and every later write throws {@link StreamStoppedException}.
 *
 * <p>No line is longer than the event line limit (see {@link EventLineFitter}): every event of every source passes
 * through {@link #write}, so none is ever too long for the poll step to deliver.
 */
public final class EventStream implements Closeable {
    /** The default limit on one encoded line, newline included; it must stay below the poll step's max_bytes. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 1 << 20;
    public static final int MIN_MAX_EVENT_BYTES = EventLineFitter.MIN_MAX_EVENT_BYTES;

    private final Path path;
    private final RecordFile file;
    private final WholeRecordWriter writer;
    private final EventLineFitter fitter;
    private long bytes;

    private EventStream(Path path, RecordFile file, WholeRecordWriter writer, EventLineFitter fitter) {
        this.path = path;
        this.file = file;
        this.writer = writer;
        this.fitter = fitter;
    }

    public static EventStream open(Path path) throws IOException {
        return open(path, DEFAULT_MAX_EVENT_BYTES);
    }

    /** Opens for appending; no line written will be longer than {@code maxEventBytes} (at least 4096). */
    public static EventStream open(Path path, int maxEventBytes) throws IOException {
        return open(DiskRecordFile.open(path), path, maxEventBytes);
    }

    /** On any {@link RecordFile}: the seam the tests fail writes through. */
    static EventStream open(RecordFile file, Path path, int maxEventBytes) throws IOException {
        EventLineFitter fitter = new EventLineFitter(maxEventBytes);
        try {
            long size = file.size();
            byte[] last = new byte[1];
            WholeRecordWriter writer = new WholeRecordWriter(file, path);
            if (size > 0 && (file.read(size - 1, last, 0, 1) != 1 || last[0] != '\n')) {
                writer.endPartialLine();
            }
            return new EventStream(path, file, writer, fitter);
        } catch (IOException e) {
            file.close();
            throw e;
        }
    }

    /**
     * Writes one event as one line, shortened to the event line limit when it is longer; whole, or not at all.
     * Nothing is logged here: a log record would become an event written in the middle of this one (see
     * {@link Emitter}).
     *
     * @throws StreamStoppedException the stream file could not be written (now or earlier): nothing more goes in
     * @throws IOException this one event cannot be encoded within the line limit; the stream goes on
     */
    synchronized void write(Event event) throws IOException {
        byte[] line = fitter.line(event.payload());
        bytes += writer.append(line);
    }

    /** Forces written events to disk; called before the status file is written. */
    public synchronized void sync() throws IOException {
        file.force();
    }

    /** Why the stream file stopped being written, or null while it is written. */
    public synchronized StreamWriteFailure failure() {
        return writer.failure();
    }

    public int maxEventBytes() {
        return fitter.maxBytes();
    }

    public Path path() {
        return path;
    }

    /** Events written whole by this stream (not counting what earlier repetitions left in the file). */
    public synchronized long events() {
        return writer.records();
    }

    public synchronized long bytes() {
        return bytes;
    }

    @Override
    public synchronized void close() throws IOException {
        file.close();
    }
}

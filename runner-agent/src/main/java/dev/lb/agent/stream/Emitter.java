package dev.lb.agent.stream;

import dev.lb.protocol.Event;
import dev.lb.protocol.EventBuilder;
import dev.lb.protocol.EventStatus;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Stamps events with {@code src}, {@code seq} and {@code ts} and writes them to the stream. Seq numbers are
 * assigned and written under one lock, so within a source the file order is the seq order and there are no gaps:
 * a seq is only consumed by an event that reached the file.
 */
public final class Emitter {
    /** Who is running: the fields every event of this repetition carries. */
    public record Context(String runId, String host, String workload, int repetition, Integer totalRepetitions) {
    }

    private final EventStream stream;
    private final Context context;
    private final Clock clock;
    private final Map<String, Long> seqBySrc = new HashMap<>();
    private IOException failure;
    private long failedWrites;
    private boolean sealed;

    public Emitter(EventStream stream, Context context, Clock clock) {
        this.stream = stream;
        this.context = context;
        this.clock = clock;
    }

    /**
     * Builds and writes one event from {@code src}. Returns false when the stream file cannot be written; the
     * first such error is kept for {@link #failure()} and every failed write is counted, so the agent can report
     * and exit instead of carrying on with events going nowhere.
     */
    public synchronized boolean emit(String src, EventStatus status, Consumer<EventBuilder> fields) {
        if (sealed) {
            return false;
        }
        long seq = seqBySrc.getOrDefault(src, 0L) + 1;
        EventBuilder b = Event.builder(context.host(), context.workload(), context.repetition(), status)
                .runId(context.runId()).totalRepetitions(context.totalRepetitions())
                .src(src).seq(seq).ts(clock.instant());
        fields.accept(b);
        try {
            stream.write(b.build());
            seqBySrc.put(src, seq);
            return true;
        } catch (IOException e) {
            failedWrites++;
            if (failure == null) {
                failure = e;
            }
            return false;
        }
    }

    /**
     * Called after the final event: nothing may follow it in this repetition. Later log records (shutdown) go to
     * the agent's own log only.
     */
    public synchronized void seal() {
        sealed = true;
    }

    public synchronized boolean isSealed() {
        return sealed;
    }

    public synchronized IOException failure() {
        return failure;
    }

    public synchronized long failedWrites() {
        return failedWrites;
    }

    /** The last seq written per source: what the repetition's summary reports so gaps can be checked. */
    public synchronized Map<String, Long> lastSeqBySrc() {
        return Map.copyOf(seqBySrc);
    }

    public Context context() {
        return context;
    }

    public EventStream stream() {
        return stream;
    }
}

package dev.lb.agent.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.Event;
import dev.lb.protocol.EventBuilder;
import dev.lb.protocol.EventStatus;
import dev.lb.protocol.Json;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Stamps events with {@code src}, {@code seq} and {@code ts} and writes them to the stream. Seq numbers are
 * assigned and written under one lock, so within a source the file order is the seq order and there are no gaps:
 * a seq is only consumed by an event that reached the file.
 *
 * <p>The final event ({@link #emitFinal}) carries the seal: for every source written, its last seq and the number
 * of its events written, the final event itself included. The seal is computed under the same lock, with the seq
 * the final event is about to take, so it is a fact about the file, not an estimate.
 */
public final class Emitter {
    /**
     * Who is running: the fields every event of this repetition carries. {@code warmup}: a warm-up repetition, whose
     * events all say {@code "warmup": true} so that no reader counts its numbers.
     */
    public record Context(String runId, String host, String workload, int repetition, Integer totalRepetitions,
                          boolean warmup) {
        public Context(String runId, String host, String workload, int repetition, Integer totalRepetitions) {
            this(runId, host, workload, repetition, totalRepetitions, false);
        }
    }

    private final EventStream stream;
    private final Context context;
    private final Clock clock;
    private final Map<String, Long> seqBySrc = new HashMap<>();
    private final Map<String, Long> countBySrc = new HashMap<>();
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
        return write(src, seqBySrc.getOrDefault(src, 0L) + 1, status, fields);
    }

    /**
     * Writes the final event (a final {@code status}) with its {@code seal} field, and seals the emitter: nothing
     * may follow it, later log records (shutdown) go to the agent's own log only. Returns the seal of what the file
     * holds: the one the final event carries, or, when the final event could not be written, the seal without it.
     */
    public synchronized ObjectNode emitFinal(String src, EventStatus status, Consumer<EventBuilder> fields) {
        if (!status.isFinal()) {
            throw new IllegalArgumentException("the final event needs a final status, not " + status.wireName());
        }
        if (sealed) {
            throw new IllegalStateException("the final event was already written; a second one (" + status.wireName()
                    + " from " + src + ") would contradict it");
        }
        sealed = true;
        long seq = seqBySrc.getOrDefault(src, 0L) + 1;
        Map<String, long[]> withFinal = counts();
        long[] own = withFinal.computeIfAbsent(src, s -> new long[2]);
        own[0] = seq;
        own[1]++;
        ObjectNode seal = sealJson(withFinal);
        if (write(src, seq, status, b -> {
            fields.accept(b);
            b.extra("seal", seal);
        })) {
            return seal;
        }
        return sealJson(counts());
    }

    private boolean write(String src, long seq, EventStatus status, Consumer<EventBuilder> fields) {
        EventBuilder b = Event.builder(context.host(), context.workload(), context.repetition(), status)
                .runId(context.runId()).totalRepetitions(context.totalRepetitions())
                .src(src).seq(seq).ts(clock.instant());
        if (context.warmup()) {
            b.extra("warmup", Json.MAPPER.getNodeFactory().booleanNode(true));
        }
        fields.accept(b);
        try {
            stream.write(b.build());
            seqBySrc.put(src, seq);
            countBySrc.merge(src, 1L, Long::sum);
            return true;
        } catch (IOException e) {
            failedWrites++;
            if (failure == null) {
                failure = e;
            }
            return false;
        }
    }

    /** What was written so far: per source, in name order, {last seq, count}. */
    private Map<String, long[]> counts() {
        Map<String, long[]> counts = new TreeMap<>();
        seqBySrc.forEach((src, seq) -> counts.put(src, new long[] {seq, countBySrc.getOrDefault(src, 0L)}));
        return counts;
    }

    private static ObjectNode sealJson(Map<String, long[]> counts) {
        ObjectNode seal = Json.MAPPER.createObjectNode();
        counts.forEach((src, c) -> {
            ObjectNode entry = seal.putObject(src);
            entry.set("last_seq", number(c[0]));
            entry.set("count", number(c[1]));
        });
        return seal;
    }

    /** The node type a parser would produce, so the seal equals its parsed copy (as EventBuilder does for seq). */
    private static JsonNode number(long n) {
        return n <= Integer.MAX_VALUE ? Json.MAPPER.getNodeFactory().numberNode((int) n)
                : Json.MAPPER.getNodeFactory().numberNode(n);
    }

    public synchronized boolean isSealed() {
        return sealed;
    }

    public synchronized IOException failure() {
        return failure;
    }

    /** Why the stream file stopped being written, or null while it is written (see {@link EventStream#failure}). */
    public StreamWriteFailure streamFailure() {
        return stream.failure();
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

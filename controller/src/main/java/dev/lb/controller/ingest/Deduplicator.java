package dev.lb.controller.ingest;

import dev.lb.controller.listener.DeliveryPath;
import dev.lb.protocol.Event;
import dev.lb.protocol.EventDecoder;
import dev.lb.protocol.EventIdentity;
import dev.lb.protocol.InvalidEventException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * Decides whether a sighting is a new event, in bounded memory, and keeps the per-path accounting.
 *
 * <p>Events with {@code seq} are tracked per emitter stream (run, host, workload, repetition, src) as {@link SeqSet}s:
 * one per path and one for their union, a few words each. Events without seq are remembered by a 128-bit hash of
 * their canonical payload in a map capped at {@code maxPayloadIdentities}; a duplicate of one older than that many
 * distinct seq-less events would be journalled twice (our own emitters always set seq).
 */
public final class Deduplicator {
    /** An emitter's stream of seq numbers within one repetition. */
    public record StreamKey(String runId, String host, String workload, int repetition, String src) {
        // Looked up two or three times per sighting: written out rather than through a record's bootstrap (SeqKey).
        @Override
        public boolean equals(Object o) {
            return o instanceof StreamKey k && repetition == k.repetition && Objects.equals(host, k.host)
                    && Objects.equals(src, k.src) && Objects.equals(workload, k.workload)
                    && Objects.equals(runId, k.runId);
        }

        @Override
        public int hashCode() {
            return (((Objects.hashCode(runId) * 31 + Objects.hashCode(host)) * 31 + Objects.hashCode(workload)) * 31
                    + repetition) * 31 + Objects.hashCode(src);
        }
    }

    /** A missing seq range of one stream. */
    public record Gap(StreamKey stream, long from, long to) {
        public long count() {
            return to - from + 1;
        }
    }

    private static final class Streams {
        /** Numbers the stream for the content prints' keys: an int compared, not a five-field record. */
        final int id;
        final SeqSet all = new SeqSet();
        final Map<DeliveryPath, SeqSet> byPath = new EnumMap<>(DeliveryPath.class);

        Streams(int id) {
            this.id = id;
        }
    }

    private final Map<StreamKey, Streams> streams = new LinkedHashMap<>();
    private final Map<HashKey, Integer> payloads;
    /**
     * Per recently accepted event with seq (its stream's number and its seq): {raw text print (0: none), canonical
     * payload print (0: not made yet), journal offset of its record (-1: none)}.
     */
    private final Map<SeqKey, long[]> contents;
    private final Map<DeliveryPath, Long> only = new EnumMap<>(DeliveryPath.class);
    private long both;
    private long duplicates;
    private long recovered;
    private int nextStream;

    private record HashKey(long hi, long lo) {
    }

    /*
     * Looked up for nearly every sighting: equals and hashCode written out, since a record's own go through an
     * invokedynamic bootstrap whose method-handle chain showed in the ingest thread's profile.
     */
    private record SeqKey(int stream, long seq) {
        @Override
        public boolean equals(Object o) {
            return o instanceof SeqKey k && seq == k.seq && stream == k.stream;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(seq * 0x9E3779B97F4A7C15L + stream);
        }
    }

    public Deduplicator(int maxPayloadIdentities) {
        this.payloads = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<HashKey, Integer> eldest) {
                return size() > maxPayloadIdentities;
            }
        };
        this.contents = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<SeqKey, long[]> eldest) {
                return size() > maxPayloadIdentities / 2;
            }
        };
        for (DeliveryPath p : DeliveryPath.values()) {
            only.put(p, 0L);
        }
    }

    /**
     * Keeps what an accepted event with seq held, so that a later sighting of its identity can be compared: its
     * payload's text as framed ({@code raw}, null when not known) and where its journal record starts
     * ({@code journalOffset}, -1 when it has none). Bounded: the most recent half of {@code maxPayloadIdentities}
     * accepted events (the two live paths deliver an event seconds apart).
     *
     * <p>The canonical payload is made only when it may be needed: a later sighting with other text (rare: the paths
     * carry the agent's own text) reads the accepted one back from its journal record (see {@link #compare}). Made
     * for every accepted event, it was a tenth of the ingest thread's time and one of the largest methods the JIT
     * compiled, again and again, in a run's first seconds.
     */
    public void remember(Event e, String raw, long journalOffset) {
        if (e.seq() == null) {
            return;
        }
        long[] prints = raw != null && journalOffset >= 0 ? new long[] {quick(raw), 0, journalOffset}
                : new long[] {raw == null ? 0 : quick(raw), quick(EventIdentity.canonicalPayload(e)), -1};
        contents.put(key(streamOf(e), e.seq()), prints);
    }

    /** The same, for an event with no journal record to read back. */
    public void remember(Event e, String raw) {
        remember(e, raw, -1);
    }

    /** What a sighting of an accepted identity says about its content, compared with the accepted one's. */
    public enum Content {
        SAME, OTHER, UNKNOWN
    }

    /** The text of a sighting of a known identity against the accepted event's; UNKNOWN when the texts differ. */
    public Content compareRaw(StreamKey stream, long seq, String raw) {
        Streams s = streams.get(stream);
        long[] c = s == null ? null : contents.get(new SeqKey(s.id, seq));
        return c == null ? Content.SAME : c[0] != 0 && c[0] == quick(raw) ? Content.SAME : Content.UNKNOWN;
    }

    /**
     * A decoded sighting of a known identity against the accepted event's canonical payload. {@code journalPayload}
     * gives the payload text of the journal record at an offset, or null when it cannot be read; then the answer is
     * UNKNOWN (taken as the same event, as for an event remembered no longer).
     */
    public Content compare(Event e, LongFunction<String> journalPayload) {
        Streams s = streams.get(streamOf(e));
        long[] c = s == null ? null : contents.get(new SeqKey(s.id, e.seq()));
        if (c == null) {
            return Content.SAME;
        }
        if (c[1] == 0) {
            String accepted = journalPayload.apply(c[2]);
            if (accepted == null) {
                return Content.UNKNOWN;
            }
            try {
                c[1] = quick(EventIdentity.canonicalPayload(EventDecoder.decode(accepted)));
            } catch (InvalidEventException x) {
                return Content.UNKNOWN;
            }
        }
        return c[1] == quick(EventIdentity.canonicalPayload(e)) ? Content.SAME : Content.OTHER;
    }

    private static StreamKey streamOf(Event e) {
        return new StreamKey(e.runId(), e.host(), e.workload(), e.repetition(), e.src());
    }

    private SeqKey key(StreamKey stream, long seq) {
        return new SeqKey(streams.computeIfAbsent(stream, k -> new Streams(nextStream++)).id, seq);
    }

    /** A 64-bit FNV-1a of the text mixed with its length and String hash: cheap, for comparing two texts. */
    private static long quick(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        long mixed = h ^ ((long) s.hashCode() << 32) ^ s.length();
        return mixed == 0 ? 1 : mixed;
    }

    /** True when an event of this stream and seq was already accepted, by any path. */
    public boolean known(StreamKey stream, long seq) {
        Streams s = streams.get(stream);
        return s != null && s.all.contains(seq);
    }

    /** True when this is the first sighting of the event: it is to be journalled. */
    public boolean firstSighting(Event e, DeliveryPath path) {
        if (e.seq() != null) {
            return firstSighting(new StreamKey(e.runId(), e.host(), e.workload(), e.repetition(), e.src()), e.seq(), path);
        }
        HashKey key = hash(EventIdentity.of(e).key());
        Integer mask = payloads.get(key);
        int bit = 1 << path.ordinal();
        payloads.put(key, mask == null ? bit : mask | bit);
        return count(mask == null, mask == null || (mask & bit) == 0, path);
    }

    /** The same for an event with seq known by its identity alone (it need not be decoded to be counted). */
    public boolean firstSighting(StreamKey stream, long seq, DeliveryPath path) {
        Streams s = streams.computeIfAbsent(stream, k -> new Streams(nextStream++));
        boolean newEvent = s.all.add(seq);
        return count(newEvent, s.byPath.computeIfAbsent(path, p -> new SeqSet()).add(seq), path);
    }

    private boolean count(boolean newEvent, boolean newForPath, DeliveryPath path) {
        if (path == DeliveryPath.RECOVERED) {
            // Read after the live paths ended: new means neither live path delivered it.
            if (newEvent) {
                recovered++;
            } else {
                duplicates++;
            }
            return newEvent;
        }
        if (newEvent) {
            only.merge(path, 1L, Long::sum);
        } else {
            duplicates++;
            if (newForPath) {
                only.merge(path.other(), -1L, Long::sum);
                both++;
            }
        }
        return newEvent;
    }

    /** Events journalled from the targets' stream files because no live path delivered them. */
    public long recovered() {
        return recovered;
    }

    /** Every event journalled, by whichever path came first. */
    public long accepted() {
        return only.get(DeliveryPath.STDOUT) + only.get(DeliveryPath.JSONL) + both + recovered;
    }

    /**
     * The seqs from 1 to {@code lastSeq} of one stream that no path delivered, as [from, to] ranges: holes and a
     * lost tail alike (the tail is what plain gaps cannot see).
     */
    public List<long[]> missing(StreamKey stream, long lastSeq) {
        Streams s = streams.get(stream);
        List<long[]> out = new ArrayList<>();
        long from = -1;
        for (long seq = 1; seq <= lastSeq; seq++) {
            boolean have = s != null && s.all.contains(seq);
            if (!have && from < 0) {
                from = seq;
            } else if (have && from >= 0) {
                out.add(new long[] {from, seq - 1});
                from = -1;
            }
        }
        if (from >= 0) {
            out.add(new long[] {from, lastSeq});
        }
        return out;
    }

    /** Events delivered by this path and not (yet) by the other. */
    public long onlyBy(DeliveryPath path) {
        return only.get(path);
    }

    public long byBoth() {
        return both;
    }

    /** Sightings that were not new: merged into the event already journalled. */
    public long duplicates() {
        return duplicates;
    }

    /** Missing seq ranges per stream, between 1 and the highest seq seen. */
    public List<Gap> gaps() {
        List<Gap> gaps = new ArrayList<>();
        streams.forEach((k, s) -> s.all.gaps().forEach(g -> gaps.add(new Gap(k, g[0], g[1]))));
        return gaps;
    }

    /** Highest seq and count per stream: what {@code lb doctor} compares against the targets. */
    public Map<StreamKey, long[]> streamCounts() {
        Map<StreamKey, long[]> out = new LinkedHashMap<>();
        streams.forEach((k, s) -> out.put(k, new long[] {s.all.max(), s.all.size()}));
        return out;
    }

    private static HashKey hash(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            long hi = 0;
            long lo = 0;
            for (int i = 0; i < 8; i++) {
                hi = (hi << 8) | (d[i] & 0xff);
                lo = (lo << 8) | (d[i + 8] & 0xff);
            }
            return new HashKey(hi, lo);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}

package dev.lb.controller.cli;

import dev.lb.controller.ingest.Deduplicator.StreamKey;
import dev.lb.controller.ingest.SeqSet;
import dev.lb.protocol.Event;
import dev.lb.protocol.EventIdentity;
import dev.lb.protocol.IdentityProbe;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The identities {@code lb events parse} has seen, exactly (the identity rule of docs/design.md), in little memory:
 * an event with seq by its emitter stream (run_id, host, workload, repetition, src) and, per stream, the run of
 * consecutive seqs seen plus the few seen outside it; an event without seq by its whole identity. Emitters number
 * from 1 without gaps, so a million events of a capture are a few objects per stream rather than one per event, and
 * the garbage collector has no growing set to copy. Beside each seq it keeps a print of the event's content
 * ({@link SeqPrints}), so that a later sighting with the same identity and other content is told apart from a
 * duplicate, as the run's ingest tells it apart ({@code conflict}).
 */
final class SeenEvents {
    private static boolean isOf(StreamKey stream, IdentityProbe.Probe p) {
        return stream.repetition() == p.repetition() && Objects.equals(stream.host(), p.host())
                && Objects.equals(stream.workload(), p.workload()) && Objects.equals(stream.src(), p.src())
                && Objects.equals(stream.runId(), p.runId());
    }

    /** What a sighting was, against the events seen before it. */
    enum Sighting {
        /** An identity not seen before: an event. */
        NEW,
        /** A known identity with the same content: a duplicate. */
        SAME,
        /** A known identity with other content: not the same event, a conflict. */
        OTHER
    }

    /** The seqs of one emitter stream and the content print of each. */
    private record Stream(SeqSet seqs, SeqPrints prints) {
        Stream() {
            this(new SeqSet(), new SeqPrints());
        }
    }

    private final Map<StreamKey, Stream> streams = new HashMap<>();
    private final Set<EventIdentity> payloads = new HashSet<>();
    private long size;
    private StreamKey lastStream;
    private Stream last;

    /** Adds an event known by its identity fields and the print of its canonical text ({@link SeqPrints#of}). */
    Sighting add(IdentityProbe.Probe p, long print) {
        if (lastStream != null && isOf(lastStream, p)) {
            return add(last, p.seq(), print);
        }
        return add(new StreamKey(p.runId(), p.host(), p.workload(), p.repetition(), p.src()), p.seq(), print);
    }

    /** Adds a decoded event and the print of its canonical text. */
    Sighting add(Event e, long print) {
        if (e.seq() != null) {
            return add(new StreamKey(e.runId(), e.host(), e.workload(), e.repetition(), e.src()), e.seq(), print);
        }
        // Without a seq the whole payload is the identity: other content is another event, never a conflict.
        if (payloads.add(e.identity())) {
            size++;
            return Sighting.NEW;
        }
        return Sighting.SAME;
    }

    /**
     * What adding an event with these identity fields and this print would be, without adding it: NEW when the
     * identity is not known, SAME when it is and the print equals the one kept, OTHER when the print differs (the
     * text may still be the same event written differently: decode it and compare its canonical print).
     */
    Sighting check(IdentityProbe.Probe p, long print) {
        Stream s = streams.get(new StreamKey(p.runId(), p.host(), p.workload(), p.repetition(), p.src()));
        if (s == null || !s.seqs().contains(p.seq())) {
            return Sighting.NEW;
        }
        return s.prints().get(p.seq()) == print ? Sighting.SAME : Sighting.OTHER;
    }

    long size() {
        return size;
    }

    private Sighting add(StreamKey stream, long seq, long print) {
        // Consecutive events nearly always share a stream: one comparison instead of a map lookup.
        if (!stream.equals(lastStream)) {
            last = streams.computeIfAbsent(stream, s -> new Stream());
            lastStream = stream;
        }
        return add(last, seq, print);
    }

    private Sighting add(Stream stream, long seq, long print) {
        if (stream.seqs().add(seq)) {
            stream.prints().put(seq, print);
            size++;
            return Sighting.NEW;
        }
        return stream.prints().get(seq) == print ? Sighting.SAME : Sighting.OTHER;
    }
}

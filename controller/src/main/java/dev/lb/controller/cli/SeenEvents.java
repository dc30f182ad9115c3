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
 * the garbage collector has no growing set to copy.
 */
final class SeenEvents {
    private static boolean isOf(StreamKey stream, IdentityProbe.Probe p) {
        return stream.repetition() == p.repetition() && Objects.equals(stream.host(), p.host())
                && Objects.equals(stream.workload(), p.workload()) && Objects.equals(stream.src(), p.src())
                && Objects.equals(stream.runId(), p.runId());
    }

    private final Map<StreamKey, SeqSet> streams = new HashMap<>();
    private final Set<EventIdentity> payloads = new HashSet<>();
    private long size;
    private StreamKey lastStream;
    private SeqSet lastSeqs;

    /** Adds an event known by its identity fields; false when it was seen already. */
    boolean add(IdentityProbe.Probe p) {
        if (lastStream != null && isOf(lastStream, p)) {
            return counted(lastSeqs.add(p.seq()));
        }
        return add(new StreamKey(p.runId(), p.host(), p.workload(), p.repetition(), p.src()), p.seq());
    }

    /** Adds a decoded event; false when it was seen already. */
    boolean add(Event e) {
        if (e.seq() != null) {
            return add(new StreamKey(e.runId(), e.host(), e.workload(), e.repetition(), e.src()), e.seq());
        }
        return counted(payloads.add(e.identity()));
    }

    boolean contains(IdentityProbe.Probe p) {
        SeqSet seqs = streams.get(new StreamKey(p.runId(), p.host(), p.workload(), p.repetition(), p.src()));
        return seqs != null && seqs.contains(p.seq());
    }

    long size() {
        return size;
    }

    private boolean add(StreamKey stream, long seq) {
        // Consecutive events nearly always share a stream: one comparison instead of a map lookup.
        if (!stream.equals(lastStream)) {
            lastSeqs = streams.computeIfAbsent(stream, s -> new SeqSet());
            lastStream = stream;
        }
        return counted(lastSeqs.add(seq));
    }

    private boolean counted(boolean added) {
        if (added) {
            size++;
        }
        return added;
    }
}

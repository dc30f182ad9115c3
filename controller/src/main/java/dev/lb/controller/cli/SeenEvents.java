package dev.lb.controller.cli;

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
    private record Stream(String runId, String host, String workload, int repetition, String src) {
        boolean isOf(IdentityProbe.Probe p) {
            return repetition == p.repetition() && Objects.equals(host, p.host()) && Objects.equals(workload,
                    p.workload()) && Objects.equals(src, p.src()) && Objects.equals(runId, p.runId());
        }
    }

    /** The seqs of one stream: every one of first..last, and the others. */
    private static final class Seqs {
        private boolean empty = true;
        private long first;
        private long last;
        private final Set<Long> others = new HashSet<>();

        boolean add(long seq) {
            if (empty) {
                empty = false;
                first = seq;
                last = seq;
                return true;
            }
            if (seq >= first && seq <= last) {
                return false;
            }
            if (seq != last + 1) {
                return others.add(seq);
            }
            // others never holds last + 1: each time the run grows, it takes in the seqs that follow it.
            last = seq;
            while (!others.isEmpty() && last < Long.MAX_VALUE && others.remove(last + 1)) {
                last++;
            }
            return true;
        }

        boolean contains(long seq) {
            return !empty && seq >= first && seq <= last || others.contains(seq);
        }
    }

    private final Map<Stream, Seqs> streams = new HashMap<>();
    private final Set<EventIdentity> payloads = new HashSet<>();
    private long size;
    private Stream lastStream;
    private Seqs lastSeqs;

    /** Adds an event known by its identity fields; false when it was seen already. */
    boolean add(IdentityProbe.Probe p) {
        if (lastStream != null && lastStream.isOf(p)) {
            return counted(lastSeqs.add(p.seq()));
        }
        return add(new Stream(p.runId(), p.host(), p.workload(), p.repetition(), p.src()), p.seq());
    }

    /** Adds a decoded event; false when it was seen already. */
    boolean add(Event e) {
        if (e.seq() != null) {
            return add(new Stream(e.runId(), e.host(), e.workload(), e.repetition(), e.src()), e.seq());
        }
        return counted(payloads.add(e.identity()));
    }

    boolean contains(IdentityProbe.Probe p) {
        Seqs seqs = streams.get(new Stream(p.runId(), p.host(), p.workload(), p.repetition(), p.src()));
        return seqs != null && seqs.contains(p.seq());
    }

    long size() {
        return size;
    }

    private boolean add(Stream stream, long seq) {
        // Consecutive events nearly always share a stream: one comparison instead of a map lookup.
        if (!stream.equals(lastStream)) {
            lastSeqs = streams.computeIfAbsent(stream, s -> new Seqs());
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

package dev.lb.controller.doctor;

import dev.lb.protocol.Event;
import dev.lb.controller.ingest.SeqSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * The seq numbers one stage saw, per emitter stream (host, workload, repetition, src). Run ids are left out on
 * purpose: a stage that lost the run id (a hand-written line) must still be comparable with the others.
 */
final class StreamSeqs {
    /** An emitter stream of one repetition. */
    record Key(String host, String workload, int repetition, String src) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return host + " " + workload + " rep " + repetition + " " + src;
        }
    }

    private final Map<Key, SeqSet> seqs = new TreeMap<>();
    private long events;

    void add(Event e) {
        events++;
        if (e.seq() != null) {
            seqs.computeIfAbsent(new Key(e.host(), e.workload(), e.repetition(), e.src()), k -> new SeqSet())
                    .add(e.seq());
        }
    }

    /** Adds what {@code other} holds (another slice's file of the same stage). */
    void addAll(StreamSeqs other) {
        events += other.events;
        other.seqs.forEach((k, set) -> seqs.computeIfAbsent(k, x -> new SeqSet()).addAll(set));
    }

    long events() {
        return events;
    }

    long distinct() {
        return seqs.values().stream().mapToLong(SeqSet::size).sum();
    }

    boolean isEmpty() {
        return seqs.isEmpty();
    }

    Map<Key, SeqSet> byStream() {
        return seqs;
    }

    /** What {@code this} has that {@code later} does not, per stream (only non-empty differences). */
    Map<Key, SeqSet> missingFrom(StreamSeqs... later) {
        Map<Key, SeqSet> out = new TreeMap<>();
        seqs.forEach((k, set) -> {
            SeqSet missing = set.minus(java.util.Arrays.stream(later).map(l -> l.seqs.get(k)).toArray(SeqSet[]::new));
            if (!missing.isEmpty()) {
                out.put(k, missing);
            }
        });
        return out;
    }

    /** Takes out the streams {@code keep} refuses and returns them. */
    Map<Key, SeqSet> removeUnless(java.util.function.Predicate<Key> keep) {
        Map<Key, SeqSet> removed = new TreeMap<>();
        seqs.entrySet().removeIf(e -> {
            if (keep.test(e.getKey())) {
                return false;
            }
            removed.put(e.getKey(), e.getValue());
            return true;
        });
        return removed;
    }

    /** Holes below the highest seq of each stream. */
    Map<Key, SeqSet> gaps() {
        Map<Key, SeqSet> out = new TreeMap<>();
        seqs.forEach((k, set) -> {
            SeqSet holes = SeqSet.ofRanges(set.gaps());
            if (!holes.isEmpty()) {
                out.put(k, holes);
            }
        });
        return out;
    }

    /** "881-1000, 1200" */
    static String ranges(SeqSet seqs) {
        return SeqSet.describe(seqs.ranges());
    }
}

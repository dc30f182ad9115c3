package dev.lb.controller.doctor;

import dev.lb.protocol.Event;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
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

    private final Map<Key, BitSet> seqs = new TreeMap<>();
    private long events;

    void add(Event e) {
        events++;
        if (e.seq() != null && e.seq() <= Integer.MAX_VALUE) {
            seqs.computeIfAbsent(new Key(e.host(), e.workload(), e.repetition(), e.src()), k -> new BitSet())
                    .set(e.seq().intValue());
        }
    }

    /** Adds what {@code other} holds (another slice's file of the same stage). */
    void addAll(StreamSeqs other) {
        events += other.events;
        other.seqs.forEach((k, bits) -> seqs.computeIfAbsent(k, x -> new BitSet()).or(bits));
    }

    long events() {
        return events;
    }

    long distinct() {
        return seqs.values().stream().mapToLong(BitSet::cardinality).sum();
    }

    boolean isEmpty() {
        return seqs.isEmpty();
    }

    Map<Key, BitSet> byStream() {
        return seqs;
    }

    /** What {@code this} has that {@code later} does not, per stream (only non-empty differences). */
    Map<Key, BitSet> missingFrom(StreamSeqs... later) {
        Map<Key, BitSet> out = new TreeMap<>();
        seqs.forEach((k, bits) -> {
            BitSet missing = (BitSet) bits.clone();
            for (StreamSeqs l : later) {
                BitSet have = l.seqs.get(k);
                if (have != null) {
                    missing.andNot(have);
                }
            }
            if (!missing.isEmpty()) {
                out.put(k, missing);
            }
        });
        return out;
    }

    /** Holes below the highest seq of each stream. */
    Map<Key, BitSet> gaps() {
        Map<Key, BitSet> out = new TreeMap<>();
        seqs.forEach((k, bits) -> {
            BitSet holes = new BitSet();
            holes.set(1, bits.length());
            holes.andNot(bits);
            if (!holes.isEmpty()) {
                out.put(k, holes);
            }
        });
        return out;
    }

    /** "881-1000, 1200" */
    static String ranges(BitSet bits) {
        List<String> parts = new ArrayList<>();
        for (int from = bits.nextSetBit(0); from >= 0; ) {
            int to = bits.nextClearBit(from) - 1;
            parts.add(from == to ? Integer.toString(from) : from + "-" + to);
            from = bits.nextSetBit(to + 1);
            if (parts.size() == 8 && from >= 0) {
                parts.add("...");
                break;
            }
        }
        return String.join(", ", parts);
    }
}

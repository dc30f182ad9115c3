package dev.lb.controller.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The seq numbers seen of one emitter stream: one run of consecutive seqs, {@code first..last}, plus the few seen
 * outside it. Emitters number from 1 without gaps, so a stream of a million events is a few words, whether the reader
 * started at seq 1 (ingest, doctor) or in the middle (a capture read by {@code lb events parse}). The one seq set of
 * ingest, {@code lb events parse} and {@code lb doctor}.
 */
public final class SeqSet {
    private boolean empty = true;
    private long first;
    private long last;
    /** Seqs outside first..last; never last + 1 (each time the run grows, it takes in the seqs that follow it). */
    private final TreeSet<Long> others = new TreeSet<>();

    /** Adds seq; false when it was already there. */
    public boolean add(long seq) {
        if (!empty && seq == last + 1) {
            last = seq;
            while (!others.isEmpty() && last < Long.MAX_VALUE && others.remove(last + 1)) {
                last++;
            }
            return true;
        }
        if (empty) {
            empty = false;
            first = seq;
            last = seq;
            while (!others.isEmpty() && last < Long.MAX_VALUE && others.remove(last + 1)) {
                last++;
            }
            return true;
        }
        if (seq >= first && seq <= last) {
            return false;
        }
        return others.add(seq);
    }

    public boolean contains(long seq) {
        return !empty && seq >= first && seq <= last || others.contains(seq);
    }

    public boolean isEmpty() {
        return empty;
    }

    /** The highest seq seen (0 when none). */
    public long max() {
        if (empty) {
            return 0;
        }
        return others.isEmpty() ? last : Math.max(last, others.last());
    }

    public long size() {
        return empty ? 0 : last - first + 1 + others.size();
    }

    /** The seqs present, as sorted, maximal [from, to] ranges. */
    public List<long[]> ranges() {
        List<long[]> out = new ArrayList<>();
        if (empty) {
            return out;
        }
        boolean runPlaced = false;
        for (long s : others) {
            if (!runPlaced && s > last) {
                append(out, first, last);
                runPlaced = true;
            }
            append(out, s, s);
        }
        if (!runPlaced) {
            append(out, first, last);
        }
        return out;
    }

    private static void append(List<long[]> out, long from, long to) {
        if (!out.isEmpty() && out.get(out.size() - 1)[1] + 1 >= from) {
            out.get(out.size() - 1)[1] = Math.max(out.get(out.size() - 1)[1], to);
        } else {
            out.add(new long[] {from, to});
        }
    }

    /** Missing ranges between 1 and the highest seq seen, as [from, to] pairs. */
    public List<long[]> gaps() {
        List<long[]> gaps = new ArrayList<>();
        long expected = 1;
        for (long[] r : ranges()) {
            if (r[0] > expected) {
                gaps.add(new long[] {expected, r[0] - 1});
            }
            expected = r[1] + 1;
        }
        return gaps;
    }

    /** Adds every seq of {@code other}. */
    public void addAll(SeqSet other) {
        for (long[] r : other.ranges()) {
            for (long s = r[0]; s <= r[1]; s++) {
                add(s);
            }
        }
    }

    /** The seqs here that none of {@code others} has. */
    public SeqSet minus(SeqSet... others) {
        SeqSet out = new SeqSet();
        for (long[] r : ranges()) {
            for (long s = r[0]; s <= r[1]; s++) {
                boolean elsewhere = false;
                for (SeqSet o : others) {
                    if (o != null && o.contains(s)) {
                        elsewhere = true;
                        break;
                    }
                }
                if (!elsewhere) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** Every seq from {@code from} to {@code to}. */
    public static SeqSet range(long from, long to) {
        SeqSet s = new SeqSet();
        if (from <= to) {
            s.empty = false;
            s.first = from;
            s.last = to;
        }
        return s;
    }

    /** The seqs of [from, to] ranges (as {@link #gaps} and {@link #ranges} give them). */
    public static SeqSet ofRanges(List<long[]> ranges) {
        SeqSet s = new SeqSet();
        for (long[] r : ranges) {
            for (long x = r[0]; x <= r[1]; x++) {
                s.add(x);
            }
        }
        return s;
    }

    public SeqSet copy() {
        SeqSet s = new SeqSet();
        s.empty = empty;
        s.first = first;
        s.last = last;
        s.others.addAll(others);
        return s;
    }

    /** Keeps only the seqs {@code other} does not have. */
    public void removeAll(SeqSet other) {
        become(minus(other));
    }

    /** Keeps only the seqs {@code other} has too. */
    public void retainAll(SeqSet other) {
        become(minus(minus(other)));
    }

    private void become(SeqSet s) {
        empty = s.empty;
        first = s.first;
        last = s.last;
        others.clear();
        others.addAll(s.others);
    }

    /** The seqs as a reader reads them: "881-1000, 1200", the first eight ranges then "...". */
    public static String describe(List<long[]> ranges) {
        List<String> parts = new ArrayList<>();
        for (long[] r : ranges) {
            if (parts.size() == 8) {
                parts.add("...");
                break;
            }
            parts.add(r[0] == r[1] ? Long.toString(r[0]) : r[0] + "-" + r[1]);
        }
        return String.join(", ", parts);
    }

    @Override
    public String toString() {
        return describe(ranges());
    }
}

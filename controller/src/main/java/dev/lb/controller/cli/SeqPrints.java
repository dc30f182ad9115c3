package dev.lb.controller.cli;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The content print of each event of one emitter stream, by seq: what {@code lb events parse} compares a later
 * sighting with, so that the same identity with other content is a conflict rather than a duplicate. Emitters number
 * from 1 without gaps, so the prints sit in one array indexed from the first seq seen (8 bytes an event); a seq far
 * from that run (below it, or beyond twice the array's use) is kept in a map instead, so a stray seq of 10^12 never
 * sizes an array.
 */
final class SeqPrints {
    private static final int DENSE_SLACK = 1024;

    private long base;
    private boolean empty = true;
    private long[] dense = new long[64];
    private int denseCount;
    private Map<Long, Long> sparse;

    /** Records the print of a seq seen for the first time. */
    void put(long seq, long print) {
        if (empty) {
            empty = false;
            base = seq;
        }
        long index = seq - base;
        if (seq >= base && index <= 2L * denseCount + DENSE_SLACK && index < Integer.MAX_VALUE - 8) {
            if (index >= dense.length) {
                dense = Arrays.copyOf(dense, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(index + 1,
                        2L * dense.length)));
            }
            dense[(int) index] = print;
            denseCount++;
            return;
        }
        if (sparse == null) {
            sparse = new HashMap<>();
        }
        sparse.put(seq, print);
    }

    /** The print of a seq recorded by {@link #put}. */
    long get(long seq) {
        if (sparse != null) {
            Long p = sparse.get(seq);
            if (p != null) {
                return p;
            }
        }
        return dense[(int) (seq - base)];
    }

    /**
     * A print of a payload's canonical text (the text the decoder would print): its hash and its length. Two texts of
     * one identity with the same print but other content would be merged; for texts of equal length that is a 32-bit
     * hash collision, about 1 in 4 billion per such pair, and such pairs are forgeries or faults to begin with.
     */
    static long of(String canonicalText) {
        return ((long) canonicalText.hashCode() << 32) | (canonicalText.length() & 0xffffffffL);
    }
}

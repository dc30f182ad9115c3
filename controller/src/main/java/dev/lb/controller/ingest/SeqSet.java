package dev.lb.controller.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The seq numbers seen of one emitter: everything up to a watermark, plus the few seen above it out of order.
 * Emitters number from 1 without gaps, so memory stays a few words however many events pass.
 */
final class SeqSet {
    private long contiguous;
    private final TreeSet<Long> above = new TreeSet<>();

    /** Adds seq; false when it was already there. */
    boolean add(long seq) {
        if (seq <= contiguous || above.contains(seq)) {
            return false;
        }
        if (seq == contiguous + 1) {
            contiguous++;
            while (!above.isEmpty() && above.first() == contiguous + 1) {
                contiguous = above.pollFirst();
            }
        } else {
            above.add(seq);
        }
        return true;
    }

    boolean contains(long seq) {
        return seq <= contiguous && seq >= 1 || above.contains(seq);
    }

    long max() {
        return above.isEmpty() ? contiguous : above.last();
    }

    long size() {
        return contiguous + above.size();
    }

    /** Missing ranges between 1 and the highest seq seen, as [from, to] pairs. */
    List<long[]> gaps() {
        List<long[]> gaps = new ArrayList<>();
        long expected = contiguous + 1;
        for (long s : above) {
            if (s > expected) {
                gaps.add(new long[] {expected, s - 1});
            }
            expected = s + 1;
        }
        return gaps;
    }
}

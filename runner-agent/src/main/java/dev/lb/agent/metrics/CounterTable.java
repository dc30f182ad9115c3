package dev.lb.agent.metrics;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Two cumulative counters per named row (a disk's sectors read and written, an interface's bytes received and
 * sent) and their growth since the previous reading, summed over the rows that count. A row counts only when it was
 * there last time too: a device that appears, disappears or is renamed adds nothing, and a counter that went back
 * (a device re-created under the same name) adds nothing for that reading rather than a negative or huge number.
 *
 * <p>Names are compared in place with the previous reading's, so while the set of devices stays the same (almost
 * always) a reading makes no strings.
 */
final class CounterTable {
    /** Which rows count, decided once per set of names: it may look at the other names (a partition's disk). */
    interface Selector {
        boolean counts(String name, Set<String> allNames);
    }

    private final Selector selector;
    private String[] names = new String[0];
    private boolean[] counted = new boolean[0];
    private long[] prevA = new long[0];
    private long[] prevB = new long[0];
    private long prevNanos;
    private boolean primed;

    private String[] curNames = new String[16];
    private long[] curA = new long[16];
    private long[] curB = new long[16];
    private int n;
    private boolean namesChanged;

    private long deltaA;
    private long deltaB;
    private long deltaNanos;

    CounterTable(Selector selector) {
        this.selector = selector;
    }

    void begin() {
        n = 0;
        namesChanged = false;
    }

    /** Adds the row whose name is {@code text}'s current word. */
    void add(ProcText text, long a, long b) {
        if (n == curNames.length) {
            curNames = Arrays.copyOf(curNames, n * 2);
            curA = Arrays.copyOf(curA, n * 2);
            curB = Arrays.copyOf(curB, n * 2);
        }
        if (!namesChanged && n < names.length && text.wordEquals(names[n])) {
            curNames[n] = names[n];
        } else {
            namesChanged = true;
            curNames[n] = text.wordString();
        }
        curA[n] = a;
        curB[n] = b;
        n++;
    }

    /**
     * Ends a reading taken at {@code nanos}: afterwards {@link #deltaA()}, {@link #deltaB()} and
     * {@link #deltaNanos()} hold the growth since the previous reading. Returns false on the first reading (or the
     * first after {@link #reset()}), which only primes.
     */
    boolean finish(long nanos) {
        boolean sameNames = !namesChanged && n == names.length;
        boolean[] nowCounted = sameNames ? counted : select();
        boolean hadPrevious = primed && nanos > prevNanos;
        deltaA = 0;
        deltaB = 0;
        if (hadPrevious) {
            for (int i = 0; i < n; i++) {
                int j = sameNames ? i : indexOf(curNames[i]);
                if (!nowCounted[i] || j < 0) {
                    continue;
                }
                deltaA += Math.max(0, curA[i] - prevA[j]);
                deltaB += Math.max(0, curB[i] - prevB[j]);
            }
            deltaNanos = nanos - prevNanos;
        }
        if (!sameNames) {
            names = Arrays.copyOf(curNames, n);
            counted = nowCounted;
            prevA = new long[n];
            prevB = new long[n];
        }
        System.arraycopy(curA, 0, prevA, 0, n);
        System.arraycopy(curB, 0, prevB, 0, n);
        prevNanos = nanos;
        primed = true;
        return hadPrevious;
    }

    /** After a reading failed: the next one primes again, so no rate spans the gap with the wrong time. */
    void reset() {
        primed = false;
    }

    long deltaA() {
        return deltaA;
    }

    long deltaB() {
        return deltaB;
    }

    long deltaNanos() {
        return deltaNanos;
    }

    private boolean[] select() {
        Set<String> all = new HashSet<>(Arrays.asList(curNames).subList(0, n));
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) {
            out[i] = selector.counts(curNames[i], all);
        }
        return out;
    }

    private int indexOf(String name) {
        for (int j = 0; j < names.length; j++) {
            if (names[j].equals(name)) {
                return j;
            }
        }
        return -1;
    }
}

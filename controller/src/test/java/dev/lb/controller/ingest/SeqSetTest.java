package dev.lb.controller.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The one seq set: what ingest, lb events parse and lb doctor each ask of it. */
class SeqSetTest {
    private static String text(List<long[]> ranges) {
        return ranges.stream().map(r -> r[0] + "-" + r[1]).collect(Collectors.joining(" "));
    }

    private static SeqSet of(long... seqs) {
        SeqSet s = new SeqSet();
        for (long x : seqs) {
            s.add(x);
        }
        return s;
    }

    @Test
    void ingestSeesEachSeqOnceAndTheHolesBelowTheHighest() {
        SeqSet s = new SeqSet();
        assertTrue(s.add(1));
        assertTrue(s.add(2));
        assertFalse(s.add(2), "a duplicate");
        assertTrue(s.add(5));
        assertTrue(s.add(9));
        assertEquals("3-4 6-8", text(s.gaps()));
        assertTrue(s.add(3));
        assertTrue(s.add(4));
        assertEquals("6-8", text(s.gaps()));
        assertEquals(9, s.max());
        assertEquals(6, s.size());
        assertTrue(s.contains(5) && !s.contains(6) && !s.contains(0));
    }

    @Test
    void aCaptureThatStartsMidStreamStaysCompactAndItsMissingStartIsAGap() {
        SeqSet s = new SeqSet();
        for (long x = 5000; x <= 1_000_000; x++) {
            assertTrue(s.add(x));
        }
        assertFalse(s.add(777_777));
        assertEquals("1-4999", text(s.gaps()), "everything below the first seq seen is missing");
        assertEquals(995_001, s.size());
        assertTrue(s.add(4999), "an earlier seq, arriving late");
        assertEquals("1-4998", text(s.gaps()));
        assertEquals("4999-1000000", text(s.ranges()));
    }

    @Test
    void doctorComparesStagesByDifferenceAndUnionAndReadsThemAsRanges() {
        SeqSet targets = of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        SeqSet jsonl = of(1, 2, 3, 7);
        SeqSet stdout = of(2, 3, 4, 9);
        SeqSet missing = targets.minus(jsonl, stdout);
        assertEquals("5-6 8-8 10-10", text(missing.ranges()));
        assertEquals("5-6, 8, 10", SeqSet.describe(missing.ranges()));
        SeqSet delivered = new SeqSet();
        delivered.addAll(jsonl);
        delivered.addAll(stdout);
        assertEquals("1-4 7-7 9-9", text(delivered.ranges()));
        assertEquals("5-6 8-8", text(delivered.gaps()));
        assertEquals("1, 3, 5, 7, 9, 11, 13, 15, ...", SeqSet.describe(of(1, 3, 5, 7, 9, 11, 13, 15, 17).ranges()));
        SeqSet sealed = SeqSet.range(1, 10);
        SeqSet notJournalled = sealed.minus(of(1, 2, 3, 4, 5, 6, 7, 8));
        assertEquals("9-10", SeqSet.describe(notJournalled.ranges()), "a lost tail, which gaps alone cannot see");
        SeqSet recoverable = notJournalled.copy();
        recoverable.retainAll(of(10, 11));
        assertEquals("10", recoverable.toString());
        notJournalled.removeAll(recoverable);
        assertEquals("9", notJournalled.toString());
        assertEquals(0, SeqSet.range(5, 4).size());
    }

    @Test
    void anyOrderGivesTheSameSetAsASortedSet() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            SeqSet s = new SeqSet();
            TreeSet<Long> expected = new TreeSet<>();
            for (int i = 0; i < 60; i++) {
                long x = 1 + random.nextInt(80);
                assertEquals(expected.add(x), s.add(x), "add " + x + " in round " + round);
            }
            assertEquals(expected.size(), s.size());
            assertEquals(expected.last(), s.max());
            for (long x = 0; x <= 81; x++) {
                assertEquals(expected.contains(x), s.contains(x));
            }
            long holes = 0;
            for (long[] g : s.gaps()) {
                for (long x = g[0]; x <= g[1]; x++) {
                    assertFalse(expected.contains(x));
                    holes++;
                }
            }
            assertEquals(expected.last() - expected.size(), holes, "every seq below the highest is seen or a gap");
        }
    }
}

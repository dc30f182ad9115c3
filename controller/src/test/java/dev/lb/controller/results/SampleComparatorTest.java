package dev.lb.controller.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SampleComparatorTest {
    private static final double[] BASE = {10.1, 9.8, 10.3, 10.0, 9.9};
    private static final double[] NEW = {10.4, 10.2, 10.6, 10.1, 10.5};

    @Test
    void welchMatchesScipy() {
        // scipy 1.17: r = ttest_ind(NEW, BASE, equal_var=False): pvalue 0.027723802616784702,
        // r.confidence_interval(0.95) = (0.048025143931105185, 0.631974856068898); Hedges' g by hand 1.5354838709677487
        Difference d = new SampleComparator(TestChoice.WELCH, 0.05).compare(BASE, NEW);
        assertEquals("welch", d.test());
        assertEquals(0.027723802616784702, d.pValue(), 1e-12);
        assertEquals(0.048025143931105185, d.ciLow(), 1e-9);
        assertEquals(0.631974856068898, d.ciHigh(), 1e-9);
        assertEquals(1.5354838709677487, d.hedgesG(), 1e-12);
        assertEquals(10.02, d.baseMean(), 1e-12);
        assertEquals(10.36, d.newMean(), 1e-12);
        assertEquals(10.0, d.baseMedian());
        assertEquals(10.4, d.newMedian());
        assertEquals((10.36 - 10.02) / 10.02 * 100, d.changePct(), 1e-9);
        assertEquals(Difference.Verdict.SIGNIFICANT, d.verdict());
        assertEquals(Difference.Verdict.NOT_SIGNIFICANT,
                new SampleComparator(TestChoice.WELCH, 0.01).compare(BASE, NEW).verdict(), "p 0.028 > alpha 0.01");
    }

    @Test
    void mannWhitneyUnderAutoWhenBothSidesHaveFiveValues() {
        // scipy 1.17: mannwhitneyu(NEW, BASE, alternative='two-sided') -> U 22.5, pvalue 0.046532985074510584
        // (one tie, 10.1 on both sides: normal approximation with tie and continuity corrections)
        Difference d = new SampleComparator(TestChoice.AUTO, 0.05).compare(BASE, NEW);
        assertEquals("mann-whitney", d.test());
        assertEquals(0.046532985074510584, d.pValue(), 1e-12);
        Difference four = new SampleComparator(TestChoice.AUTO, 0.05).compare(
                new double[] {1, 2, 3, 4}, new double[] {2, 3, 4, 5, 6});
        assertEquals("welch", four.test(), "n = 4 on one side: Welch under auto");
    }

    @Test
    void identicalSamplesAreNoChangeWithPOne() {
        Difference d = new SampleComparator(TestChoice.MWU, 0.05).compare(BASE, new double[] {9.9, 10.0, 9.8, 10.3,
                10.1});
        assertEquals(Difference.Verdict.NO_CHANGE, d.verdict());
        assertEquals(1.0, d.pValue());
        assertEquals(0.0, d.changePct());
    }

    @Test
    void noSpreadOnEitherSideIsNoChangeWhenEqualAndAnExactDifferenceOtherwise() {
        SampleComparator c = new SampleComparator(TestChoice.WELCH, 0.05);
        Difference same = c.compare(new double[] {5, 5, 5}, new double[] {5, 5});
        assertEquals(Difference.Verdict.NO_CHANGE, same.verdict());
        assertEquals(1.0, same.pValue());
        Difference exact = c.compare(new double[] {5, 5, 5}, new double[] {6, 6, 6});
        assertEquals(Difference.Verdict.EXACT, exact.verdict());
        assertEquals(true, exact.verdict().significant());
        assertEquals(1.0, exact.ciLow());
        assertEquals(1.0, exact.ciHigh());
        assertEquals(20.0, exact.changePct(), 1e-12);
        assertNull(exact.pValue(), "no test was run, and no NaN is reported");
    }

    @Test
    void oneValueOnASideIsTooSmallForATest() {
        Difference d = new SampleComparator(TestChoice.WELCH, 0.05).compare(new double[] {1}, NEW);
        assertEquals(Difference.Verdict.N_TOO_SMALL, d.verdict());
        assertNull(d.pValue());
        assertNull(d.ciLow());
        assertEquals(1, d.baseN());
    }
}

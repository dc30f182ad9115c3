package dev.lb.controller.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SampleComparatorTest {
    private static final double[] BASE = {10.1, 9.8, 10.3, 10.0, 9.9};
    private static final double[] NEW = {10.4, 10.2, 10.6, 10.1, 10.5};
    private final SampleComparator comparator = new SampleComparator();

    @Test
    void welchMatchesScipy() {
        // scipy 1.17: r = ttest_ind(NEW, BASE, equal_var=False): pvalue 0.027723802616784702,
        // r.confidence_interval(0.95) = (0.048025143931105185, 0.631974856068898); Hedges' g by hand 1.5354838709677487
        Difference d = comparator.compare(BASE, NEW);
        assertEquals(Difference.Kind.TESTED, d.kind());
        assertEquals(0.027723802616784702, d.pValue(), 1e-12);
        Difference.Interval ci = d.interval(0.95);
        assertEquals(0.048025143931105185, ci.low(), 1e-9);
        assertEquals(0.631974856068898, ci.high(), 1e-9);
        assertEquals(1.5354838709677487, d.hedgesG(), 1e-12);
        assertEquals(10.02, d.baseMean(), 1e-12);
        assertEquals(10.36, d.newMean(), 1e-12);
        assertEquals(10.0, d.baseMedian());
        assertEquals(10.4, d.newMedian());
        assertEquals((10.36 - 10.02) / 10.02 * 100, d.changePct(), 1e-9);
    }

    @Test
    void theIntervalExcludesZeroExactlyWhenThePValueIsBelowOneMinusItsLevel() {
        Difference d = comparator.compare(BASE, NEW);
        assertEquals(true, d.interval(0.95).excludesZero(), "p 0.028 < 0.05");
        assertEquals(false, d.interval(0.99).excludesZero(), "p 0.028 > 0.01");
        assertEquals(0.0, d.interval(1 - d.pValue()).low(), 1e-9, "at 1 - p the interval ends at 0");
    }

    @Test
    void identicalSamplesAreNoChangeWithPOne() {
        Difference d = comparator.compare(BASE, new double[] {9.9, 10.0, 9.8, 10.3, 10.1});
        assertEquals(Difference.Kind.NO_CHANGE, d.kind());
        assertEquals(1.0, d.pValue());
        assertEquals(0.0, d.changePct());
        assertEquals(new Difference.Interval(0.95, 0, 0), d.interval(0.95));
    }

    @Test
    void noSpreadOnEitherSideIsNoChangeWhenEqualAndAnExactDifferenceOtherwise() {
        Difference same = comparator.compare(new double[] {5, 5, 5}, new double[] {5, 5});
        assertEquals(Difference.Kind.NO_CHANGE, same.kind());
        assertEquals(1.0, same.pValue());
        Difference exact = comparator.compare(new double[] {5, 5, 5}, new double[] {6, 6, 6});
        assertEquals(Difference.Kind.EXACT, exact.kind());
        assertEquals(0.0, exact.pValue(), "deterministic: any correction rejects it");
        assertEquals(new Difference.Interval(0.99, 1, 1), exact.interval(0.99));
        assertEquals(20.0, exact.changePct(), 1e-12);
    }

    @Test
    void oneValueOnASideIsTooSmallForATest() {
        Difference d = comparator.compare(new double[] {1}, NEW);
        assertEquals(Difference.Kind.N_TOO_SMALL, d.kind());
        assertNull(d.pValue());
        assertNull(d.interval(0.95));
        assertEquals(1, d.baseN());
    }
}

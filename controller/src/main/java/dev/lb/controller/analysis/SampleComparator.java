package dev.lb.controller.analysis;

import java.util.Arrays;
import java.util.EnumSet;
import org.apache.commons.statistics.descriptive.DoubleStatistics;
import org.apache.commons.statistics.descriptive.Median;
import org.apache.commons.statistics.descriptive.Statistic;
import org.apache.commons.statistics.inference.DataDispersion;
import org.apache.commons.statistics.inference.TTest;

/**
 * Compares a base sample with a new one (Apache Commons Statistics): Welch's t-test (two-sided, unequal variances)
 * with the Welch–Satterthwaite degrees of freedom, and Hedges' g (Cohen's d with the pooled standard deviation,
 * corrected for small-sample bias by J = 1 - 3 / (4 (n1 + n2) - 9)). One test only, so that its p-value and the
 * interval built from the same t distribution cannot disagree. Samples the test cannot judge are decided first: too
 * small, identical, or without any spread.
 */
public final class SampleComparator {
    private static final TTest WELCH = TTest.withDefaults().with(DataDispersion.HETEROSCEDASTIC);

    public Difference compare(double[] base, double[] candidate) {
        DoubleStatistics b = stats(base);
        DoubleStatistics n = stats(candidate);
        double meanB = b.getAsDouble(Statistic.MEAN);
        double meanN = n.getAsDouble(Statistic.MEAN);
        double medianB = Median.withDefaults().evaluate(base);
        double medianN = Median.withDefaults().evaluate(candidate);
        Double change = meanB == 0 ? null : (meanN - meanB) / Math.abs(meanB) * 100;
        if (base.length < 2 || candidate.length < 2) {
            return new Difference(base.length, candidate.length, meanB, meanN, medianB, medianN, change, null, null, null,
                    null, Difference.Kind.N_TOO_SMALL);
        }
        double varB = b.getAsDouble(Statistic.VARIANCE);
        double varN = n.getAsDouble(Statistic.VARIANCE);
        if (sameValues(base, candidate) || (varB == 0 && varN == 0 && meanB == meanN)) {
            return new Difference(base.length, candidate.length, meanB, meanN, medianB, medianN, change, null, 1.0, null,
                    null, Difference.Kind.NO_CHANGE);
        }
        if (varB == 0 && varN == 0) {
            return new Difference(base.length, candidate.length, meanB, meanN, medianB, medianN, change, null, 0.0, null,
                    null, Difference.Kind.EXACT);
        }
        // Welch–Satterthwaite: the variance of the difference of means and its degrees of freedom.
        double seB = varB / base.length;
        double seN = varN / candidate.length;
        double df = (seB + seN) * (seB + seN)
                / (seB * seB / (base.length - 1) + seN * seN / (candidate.length - 1));
        double p = WELCH.test(candidate, base).getPValue();
        return new Difference(base.length, candidate.length, meanB, meanN, medianB, medianN, change,
                hedgesG(base.length, varB, candidate.length, varN, meanN - meanB), p, Math.sqrt(seB + seN), df,
                Difference.Kind.TESTED);
    }

    /** Hedges' g; null when the pooled standard deviation is 0 (then no effect size is defined). */
    static Double hedgesG(int n1, double var1, int n2, double var2, double diff) {
        double pooled = Math.sqrt(((n1 - 1) * var1 + (n2 - 1) * var2) / (n1 + n2 - 2));
        if (pooled == 0) {
            return null;
        }
        double j = 1 - 3.0 / (4.0 * (n1 + n2) - 9);
        return diff / pooled * j;
    }

    private static DoubleStatistics stats(double[] x) {
        return DoubleStatistics.of(EnumSet.of(Statistic.MEAN, Statistic.VARIANCE), x);
    }

    private static boolean sameValues(double[] a, double[] b) {
        double[] x = a.clone();
        double[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        return Arrays.equals(x, y);
    }
}

package dev.lb.history.changepoint;

import org.apache.commons.statistics.distribution.TDistribution;

/**
 * The significance of a split: Student's two-sample t-test with pooled variance, two-sided, computed as Otava does
 * (scipy's {@code ttest_ind_from_stats} fed with population standard deviations, ddof 0), so that lb and Otava agree
 * on which candidate is significant. One point on each side has no test: p is 1.
 */
final class SegmentTTest {
    private SegmentTTest() {
    }

    static ChangePoint test(double[] series, int leftFrom, int split, int rightTo, int index, double qhat) {
        int n1 = split - leftFrom;
        int n2 = rightTo - split;
        if (n1 == 0 || n2 == 0) {
            throw new IllegalArgumentException("an empty segment at " + split + " in [" + leftFrom + ", " + rightTo + ")");
        }
        double m1 = mean(series, leftFrom, split);
        double m2 = mean(series, split, rightTo);
        double s1 = n1 >= 2 ? populationStdev(series, leftFrom, split, m1) : 0.0;
        double s2 = n2 >= 2 ? populationStdev(series, split, rightTo, m2) : 0.0;
        double p = n1 + n2 > 2 ? pValue(m1, s1, n1, m2, s2, n2) : 1.0;
        return new ChangePoint(index, qhat, m1, m2, s1, s2, p);
    }

    static double pValue(double m1, double s1, int n1, double m2, double s2, int n2) {
        int df = n1 + n2 - 2;
        double pooled = ((n1 - 1) * s1 * s1 + (n2 - 1) * s2 * s2) / df;
        double denominator = Math.sqrt(pooled * (1.0 / n1 + 1.0 / n2));
        double t = (m1 - m2) / denominator;
        if (Double.isNaN(t)) {
            return Double.NaN; // equal means, no spread: scipy says nan, and nan is never significant
        }
        if (Double.isInfinite(t)) {
            return 0.0;
        }
        return 2 * TDistribution.of(df).survivalProbability(Math.abs(t));
    }

    private static double mean(double[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += x[i];
        }
        return sum / (to - from);
    }

    private static double populationStdev(double[] x, int from, int to, double mean) {
        double ss = 0;
        for (int i = from; i < to; i++) {
            double d = x[i] - mean;
            ss += d * d;
        }
        return Math.sqrt(ss / (to - from));
    }
}

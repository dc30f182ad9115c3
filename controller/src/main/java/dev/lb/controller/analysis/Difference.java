package dev.lb.controller.analysis;

import org.apache.commons.statistics.distribution.TDistribution;

/**
 * Two samples compared before any correction for the number of comparisons: their sizes, means and medians, the
 * change of the mean in percent of the base's (null when the base mean is 0), Hedges' g, and Welch's t-test of the
 * difference of means (new - base): its two-sided p-value, standard error and Welch–Satterthwaite degrees of freedom.
 * Fields that the kind makes meaningless are null.
 */
public record Difference(int baseN, int newN, double baseMean, double newMean, double baseMedian, double newMedian,
                         Double changePct, Double hedgesG, Double pValue, Double standardError, Double df,
                         Kind kind) {

    public enum Kind {
        /** Fewer than two values on a side: no test, no p-value. */
        N_TOO_SMALL,
        /** The same values on both sides, or no spread and the same mean on both: p = 1. */
        NO_CHANGE,
        /** No spread on either side and different means: the difference is deterministic, p = 0. */
        EXACT,
        /** Welch's t-test ran. */
        TESTED
    }

    /** A confidence interval of the difference of means (new - base) at {@code level}, e.g. 0.95. */
    public record Interval(double level, double low, double high) {
        public boolean excludesZero() {
            return low > 0 || high < 0;
        }
    }

    public double difference() {
        return newMean - baseMean;
    }

    /**
     * Welch's interval at {@code level}; a point for a deterministic difference (or none); null without a test.
     * It excludes 0 exactly when the two-sided p-value is below 1 - level, so a verdict drawn at a level and the
     * interval shown at that level never disagree.
     */
    public Interval interval(double level) {
        return switch (kind) {
            case N_TOO_SMALL -> null;
            case NO_CHANGE -> new Interval(level, 0, 0);
            case EXACT -> new Interval(level, difference(), difference());
            case TESTED -> {
                double t = TDistribution.of(df).inverseSurvivalProbability((1 - level) / 2);
                yield new Interval(level, difference() - t * standardError, difference() + t * standardError);
            }
        };
    }
}

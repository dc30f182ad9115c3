package dev.lb.controller.results;

/**
 * Two samples compared: their sizes, means and medians, the change of the mean in percent of the base's (null when
 * the base mean is 0), the 95 % confidence interval of the difference of means (new - base), Hedges' g, the test
 * run with its p-value, and the verdict. Fields that a verdict makes meaningless are null.
 */
public record Difference(int baseN, int newN, double baseMean, double newMean, double baseMedian, double newMedian,
                         Double changePct, Double ciLow, Double ciHigh, Double hedgesG, String test, Double pValue,
                         Verdict verdict) {

    public enum Verdict {
        /** Fewer than two values on a side: no test. */
        N_TOO_SMALL,
        /** The same values on both sides, or no spread and the same mean on both: p = 1. */
        NO_CHANGE,
        /** The test did not reject at alpha: {@code ~}. */
        NOT_SIGNIFICANT,
        /** No spread on either side and different means: the difference is deterministic, hence significant. */
        EXACT,
        /** The test rejected at alpha. */
        SIGNIFICANT;

        public boolean significant() {
            return this == EXACT || this == SIGNIFICANT;
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    public double difference() {
        return newMean - baseMean;
    }
}

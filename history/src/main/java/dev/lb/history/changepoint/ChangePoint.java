package dev.lb.history.changepoint;

/**
 * A change in a series between {@code index - 1} and {@code index} (the first point after the change), with the
 * two-sided Student's t-test of the segments either side: their means, population standard deviations (as Otava
 * computes them) and the p-value. {@code qhat} is the E-divisive statistic that proposed it.
 */
public record ChangePoint(int index, double qhat, double meanBefore, double meanAfter, double stdevBefore,
                          double stdevAfter, double pValue) {

    /** Relative change from before to after: +0.10 is 10 % higher; 0 when the mean before is 0. */
    public double forwardChange() {
        return meanBefore == 0 ? 0 : meanAfter / meanBefore - 1.0;
    }

    /**
     * Otava's magnitude: the larger of the forward and the backward relative change in absolute value, so that a
     * halving and a doubling weigh the same.
     */
    public double magnitude() {
        double backward = meanAfter == 0 ? 0 : meanBefore / meanAfter - 1.0;
        return Math.max(Math.abs(forwardChange()), Math.abs(backward));
    }
}

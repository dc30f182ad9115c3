package dev.lb.controller.analysis;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Corrections for testing many rows at once, each giving per p-value its adjusted value, whether it is rejected at
 * alpha, and the per-row level at which to draw its confidence interval so that the interval excludes 0 exactly when
 * the row is rejected (boundary ties aside).
 */
public final class MultipleTesting {
    /** One p-value corrected: the adjusted p (or q), the alpha its interval is drawn at, and the decision. */
    public record Corrected(double adjusted, double intervalAlpha, boolean rejected) {
        /** The confidence level of the interval that agrees with the decision: 1 - intervalAlpha. */
        public double intervalLevel() {
            return 1 - intervalAlpha;
        }
    }

    private MultipleTesting() {
    }

    /**
     * Holm's step-down correction (family-wise error at most alpha). At step k (p-values ascending) a row is compared
     * with alpha / (m - k + 1); the steps stop at the first that is not rejected. A rejected row's interval is drawn
     * at its own threshold; a row not rejected, at the threshold of the step that stopped, which its p-value (not
     * smaller than that step's) exceeds, so its interval holds 0.
     */
    public static Corrected[] holm(double[] p, double alpha) {
        int m = p.length;
        Integer[] order = ascending(p);
        Corrected[] out = new Corrected[m];
        double running = 0;
        double stopAlpha = Double.NaN;
        for (int k = 0; k < m; k++) {
            int i = order[k];
            double threshold = alpha / (m - k);
            running = Math.max(running, Math.min(1, (m - k) * p[i]));
            boolean rejected = Double.isNaN(stopAlpha) && p[i] <= threshold;
            if (!rejected && Double.isNaN(stopAlpha)) {
                stopAlpha = threshold;
            }
            out[i] = new Corrected(running, rejected ? threshold : stopAlpha, rejected);
        }
        return out;
    }

    /**
     * Benjamini–Hochberg (false discovery rate at most alpha): q-values, and with R rows rejected every interval drawn
     * at 1 - max(R, 1) alpha / m (Benjamini and Yekutieli's false-coverage-rate intervals), which excludes 0 exactly
     * for the rejected rows.
     */
    public static Corrected[] benjaminiHochberg(double[] p, double alpha) {
        int m = p.length;
        Integer[] order = ascending(p);
        double[] q = new double[m];
        double min = 1;
        for (int k = m - 1; k >= 0; k--) {
            int i = order[k];
            min = Math.min(min, p[i] * m / (k + 1));
            q[i] = min;
        }
        long rejected = Arrays.stream(q).filter(x -> x <= alpha).count();
        double intervalAlpha = Math.max(rejected, 1) * alpha / m;
        Corrected[] out = new Corrected[m];
        for (int i = 0; i < m; i++) {
            out[i] = new Corrected(q[i], intervalAlpha, q[i] <= alpha);
        }
        return out;
    }

    private static Integer[] ascending(double[] p) {
        return IntStream.range(0, p.length).boxed().sorted(Comparator.comparingDouble(i -> p[i]))
                .toArray(Integer[]::new);
    }
}

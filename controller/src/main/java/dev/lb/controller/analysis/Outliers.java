package dev.lb.controller.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.statistics.descriptive.Median;

/**
 * Flags, never drops, values far from the rest: outside Tukey's fences (Q1 - 1.5 IQR, Q3 + 1.5 IQR), else more than
 * 3 scaled median absolute deviations from the median (MAD × 1.4826, consistent with the standard deviation of a
 * normal sample). The MAD rule catches a value the fences miss when the quartiles are far apart. Needs
 * {@link #MIN_N} values: with three, the fences can never be crossed and the MAD is just the smaller of two gaps, so
 * "outlier" would only mean "the farther of the other two".
 */
public final class Outliers {
    /** One flagged value: the repetition it came from and the rule that flagged it ({@code tukey} or {@code mad}). */
    public record Outlier(int repetition, double value, String rule) {
    }

    static final double MAD_SCALE = 1.4826;
    public static final int MIN_N = 5;

    private Outliers() {
    }

    public static List<Outlier> find(List<RunResults.RepValue> values) {
        if (values.size() < MIN_N) {
            return List.of();
        }
        double[] x = values.stream().mapToDouble(RunResults.RepValue::value).toArray();
        double[] q = SampleSummary.QUANTILE.evaluate(x, 0.25, 0.75);
        double iqr = q[1] - q[0];
        double low = q[0] - 1.5 * iqr;
        double high = q[1] + 1.5 * iqr;
        double median = Median.withDefaults().evaluate(x);
        double mad = MAD_SCALE * Median.withDefaults().evaluate(Arrays.stream(x).map(v -> Math.abs(v - median))
                .toArray());
        List<Outlier> out = new ArrayList<>();
        for (RunResults.RepValue v : values) {
            if (v.value() < low || v.value() > high) {
                out.add(new Outlier(v.repetition(), v.value(), "tukey"));
            } else if (mad > 0 && Math.abs(v.value() - median) > 3 * mad) {
                out.add(new Outlier(v.repetition(), v.value(), "mad"));
            }
        }
        return out;
    }
}

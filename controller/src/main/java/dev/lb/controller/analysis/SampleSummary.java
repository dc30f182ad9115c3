package dev.lb.controller.analysis;

import org.apache.commons.statistics.descriptive.DoubleStatistics;
import org.apache.commons.statistics.descriptive.Median;
import org.apache.commons.statistics.descriptive.Quantile;
import org.apache.commons.statistics.descriptive.Statistic;

/**
 * The figures results.json gives for a sample, from Apache Commons Statistics. {@code stdev} is the sample standard
 * deviation (n - 1); it and {@code cv} (stdev / mean) are null with one value, cv also when the mean is 0.
 * Quantiles use linear interpolation between order statistics (Hyndman–Fan type 7, the default of R, NumPy and
 * spreadsheets), so a reader can check p95 with the tool at hand.
 */
public record SampleSummary(int n, double mean, Double stdev, double min, double median, double p95, double max,
                            Double cv) {
    static final Quantile QUANTILE = Quantile.withDefaults().with(Quantile.EstimationMethod.HF7);

    public static SampleSummary of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        DoubleStatistics s = DoubleStatistics.of(java.util.EnumSet.of(Statistic.MIN, Statistic.MAX, Statistic.MEAN,
                Statistic.STANDARD_DEVIATION), values);
        double mean = s.getAsDouble(Statistic.MEAN);
        Double stdev = values.length < 2 ? null : s.getAsDouble(Statistic.STANDARD_DEVIATION);
        Double cv = stdev == null || mean == 0 ? null : stdev / mean;
        return new SampleSummary(values.length, mean, stdev, s.getAsDouble(Statistic.MIN),
                Median.withDefaults().evaluate(values), QUANTILE.evaluate(values, 0.95),
                s.getAsDouble(Statistic.MAX), cv);
    }
}

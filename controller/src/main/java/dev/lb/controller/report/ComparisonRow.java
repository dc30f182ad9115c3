package dev.lb.controller.report;

/**
 * One row of a comparison of two runs, as the report shows it: a metric of one host and workload (host null for a
 * fleet total), both means, the change, its confidence interval, the effect size, the test used and its p-value, and
 * the verdict ({@code better}, {@code worse} or {@code no change}). Shown as given; the report computes nothing here.
 * In JSON (snake_case): host, workload, metric, unit, base_mean, new_mean, change_pct, ci_low, ci_high, effect_size,
 * test, p, significant, verdict.
 */
public record ComparisonRow(String host, String workload, String metric, String unit, Double baseMean, Double newMean,
                            Double changePct, Double ciLow, Double ciHigh, Double effectSize, String test, Double p,
                            boolean significant, String verdict) {
}

package dev.lb.history.query;

import java.util.List;
import java.util.Map;

/**
 * One run's point in a series: the mean of its counted repetitions (the unit of evidence, one per run), its spread,
 * its repetitions, its labels, and why it is excluded (null: it counts).
 */
public record RunPoint(String runId, Double startedAt, int n, double mean, Double stdev, Double min, Double max,
                       String excludedReason, Map<String, String> labels, List<Double> values) {
    public RunPoint {
        labels = Map.copyOf(labels);
        values = List.copyOf(values);
    }

    public boolean excluded() {
        return excludedReason != null;
    }
}

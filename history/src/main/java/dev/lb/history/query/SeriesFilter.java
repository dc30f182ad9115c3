package dev.lb.history.query;

import java.util.Map;

/** Which series and runs to show: each field null (or empty) means any. {@code since}: epoch seconds. */
public record SeriesFilter(String host, String workload, String metric, Map<String, String> labels, Double since) {
    public static final SeriesFilter ALL = new SeriesFilter(null, null, null, Map.of(), null);

    public SeriesFilter {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}

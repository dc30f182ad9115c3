package dev.lb.results;

import java.util.List;

/** What one parser read from one result: the parser's name and the metrics, in the tool's order. */
public record ParsedResult(String parser, List<Metric> metrics) {
    public ParsedResult {
        metrics = List.copyOf(metrics);
    }
}

package dev.lb.agent.metrics;

import dev.lb.results.Metric;
import java.util.List;
import java.util.Map;

/** Takes one sample of system metrics; {@link ProcSampler} is the real one. */
@FunctionalInterface
public interface MetricSource {
    /**
     * The metrics now; {@code monotonicNanos} (from {@link System#nanoTime()}) times the rates. May be empty or
     * partial (the first sample has no rates; a file that cannot be read leaves its metrics out), never null.
     */
    List<Metric> sample(long monotonicNanos);

    /**
     * Text that goes with the latest sample, by field name (the name of the busiest process outside the benchmark);
     * empty by default. Emitted next to the metrics as extra fields of the event.
     */
    default Map<String, String> labels() {
        return Map.of();
    }

    /** Both sources, one after the other, into one sample; the labels of both. */
    static MetricSource both(MetricSource first, MetricSource second) {
        return new MetricSource() {
            @Override
            public List<Metric> sample(long monotonicNanos) {
                List<Metric> out = new java.util.ArrayList<>(first.sample(monotonicNanos));
                out.addAll(second.sample(monotonicNanos));
                return out;
            }

            @Override
            public Map<String, String> labels() {
                Map<String, String> out = new java.util.LinkedHashMap<>(first.labels());
                out.putAll(second.labels());
                return out;
            }
        };
    }
}

package dev.lb.agent.metrics;

import dev.lb.results.Metric;
import java.util.List;

/** Takes one sample of system metrics; {@link ProcSampler} is the real one. */
@FunctionalInterface
public interface MetricSource {
    /**
     * The metrics now; {@code monotonicNanos} (from {@link System#nanoTime()}) times the rates. May be empty or
     * partial (the first sample has no rates; a file that cannot be read leaves its metrics out), never null.
     */
    List<Metric> sample(long monotonicNanos);
}

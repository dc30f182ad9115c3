package dev.lb.results;

import java.time.Duration;

/**
 * The wall time of a {@code command} workload, measured by the agent for every repetition that ends done, as hyperfine
 * times a command: the workload process alone, from its start to its exit, without the repetition's hooks. Reported
 * beside any metrics the command declares, under a name no declaration may take.
 */
public final class WallTime {
    public static final String METRIC = "wall_time";

    private WallTime() {
    }

    /** The metric in seconds, to the nanosecond the clock gives. */
    public static Metric of(Duration took) {
        return new Metric(METRIC, took.toNanos() / 1e9, Unit.S);
    }
}

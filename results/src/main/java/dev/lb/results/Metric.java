package dev.lb.results;

import java.util.Objects;

/** One number a benchmark produced: {@code {"name": ..., "value": ..., "unit": ...}} in a result event. */
public record Metric(String name, double value, Unit unit) {
    public Metric {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("metric " + name + " is not a finite number: " + value);
        }
    }
}

package dev.lb.controller.analysis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the journal says about one repetition: its result metrics, the reasons its result could not be parsed, its
 * last final status (with that event's message) and whether it was a warm-up.
 */
public final class Repetition {
    /**
     * One metric value of a result event, its unit as written (it may be outside the unit list), and the parser the
     * event names (null when it names none), which says the metric's direction and the workload's primary metric.
     */
    public record Value(String name, double value, String unit, String parser) {
    }

    private final RepetitionKey key;
    private final Map<String, Value> metrics = new LinkedHashMap<>();
    private final List<String> unparsed = new ArrayList<>();
    private String status = "running";
    private String statusMessage;
    private boolean finalSeen;
    private boolean warmup;
    private com.fasterxml.jackson.databind.JsonNode stability;

    Repetition(RepetitionKey key) {
        this.key = key;
    }

    /** Returns the value it replaced, if the repetition already had this metric (reported by the reader). */
    Value addMetric(Value v) {
        return metrics.put(v.name(), v);
    }

    void addUnparsed(String reason) {
        unparsed.add(reason);
    }

    /**
     * A final status (done, failed, ...) replaces any earlier status; a later {@code running} (a result event emitted
     * before the final event but journalled after it) never undoes a final one.
     */
    void status(String newStatus, boolean isFinal, String message) {
        if (isFinal || !finalSeen) {
            status = newStatus;
            statusMessage = message;
            finalSeen |= isFinal;
        }
    }

    void markWarmup() {
        warmup = true;
    }

    /** The adaptive repetitions' verdict its final event carried. */
    void stability(com.fasterxml.jackson.databind.JsonNode verdict) {
        stability = verdict;
    }

    /** The adaptive repetitions' verdict (metric, n, cv, stable, explanation), or null for a fixed count. */
    public com.fasterxml.jackson.databind.JsonNode stability() {
        return stability;
    }

    /** The agent skipped it because the earlier repetitions were stable: not needed, not a failure. */
    public boolean skippedAsStable() {
        return status.equals("skipped") && stability != null && stability.path("stable").asBoolean(false);
    }

    public RepetitionKey key() {
        return key;
    }

    public Map<String, Value> metrics() {
        return Collections.unmodifiableMap(metrics);
    }

    public List<String> unparsed() {
        return Collections.unmodifiableList(unparsed);
    }

    public String status() {
        return status;
    }

    /** The message of the event that set the status, or null. */
    public String statusMessage() {
        return statusMessage;
    }

    public boolean warmup() {
        return warmup;
    }

    /** Whether its values count: it ended {@code done} and was not a warm-up. */
    public boolean counts() {
        return !warmup && status.equals("done");
    }
}

package dev.lb.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * One event of protocol v1: the validated fields, and the payload exactly as it was received (unknown fields
 * included). The payload is what is journalled and printed; treat it as read-only.
 *
 * <p>Optional fields are {@code null} when absent; {@code type} and {@code level} carry their protocol defaults.
 */
public record Event(
        int version,
        String runId,
        String host,
        String workload,
        int repetition,
        Integer totalRepetitions,
        EventStatus status,
        EventType type,
        EventLevel level,
        String message,
        BigDecimal ts,
        String src,
        Long seq,
        String errorType,
        ObjectNode payload) {

    public static final int PROTOCOL_VERSION = 1;

    public Event {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(payload, "payload");
    }

    /** Emission time in epoch milliseconds, or -1 when the emitter did not say. */
    public long tsMillis() {
        return ts == null ? -1 : ts.movePointRight(3).longValue();
    }

    /** The payload as one compact, line-safe JSON object, fields in received order. */
    public String payloadJson() {
        return Json.line(payload);
    }

    public JsonNode field(String name) {
        return payload.get(name);
    }

    public EventIdentity identity() {
        return EventIdentity.of(this);
    }

    /** Starts an event the way our own emitters build them: {@code src}, {@code seq} and {@code ts} are expected. */
    public static EventBuilder builder(String host, String workload, int repetition, EventStatus status) {
        return new EventBuilder(host, workload, repetition, status);
    }
}

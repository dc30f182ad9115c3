package dev.lb.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds an event for emission, writing the payload in the protocol's field order. */
public final class EventBuilder {
    private final String host;
    private final String workload;
    private final int repetition;
    private final EventStatus status;
    private String runId;
    private Integer totalRepetitions;
    private EventType type = EventType.STATUS;
    private EventLevel level = EventLevel.INFO;
    private String message;
    private BigDecimal ts;
    private String src;
    private Long seq;
    private String errorType;
    private JsonNode errorContext;
    private final Map<String, JsonNode> extra = new LinkedHashMap<>();

    EventBuilder(String host, String workload, int repetition, EventStatus status) {
        this.host = host;
        this.workload = workload;
        this.repetition = repetition;
        this.status = status;
    }

    public EventBuilder runId(String runId) {
        this.runId = runId;
        return this;
    }

    public EventBuilder totalRepetitions(Integer totalRepetitions) {
        this.totalRepetitions = totalRepetitions;
        return this;
    }

    public EventBuilder type(EventType type) {
        this.type = type;
        return this;
    }

    public EventBuilder level(EventLevel level) {
        this.level = level;
        return this;
    }

    public EventBuilder message(String message) {
        this.message = message;
        return this;
    }

    /** Emission time; microsecond precision is plenty for latency figures and keeps lines short. */
    public EventBuilder ts(Instant instant) {
        long micros = instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
        this.ts = BigDecimal.valueOf(micros, 6);
        return this;
    }

    public EventBuilder ts(BigDecimal ts) {
        this.ts = ts;
        return this;
    }

    public EventBuilder src(String src) {
        this.src = src;
        return this;
    }

    public EventBuilder seq(long seq) {
        this.seq = seq;
        return this;
    }

    public EventBuilder error(String errorType, JsonNode errorContext) {
        this.errorType = errorType;
        this.errorContext = errorContext;
        return this;
    }

    /** A field outside protocol v1; kept as is by every reader. */
    public EventBuilder extra(String name, JsonNode value) {
        extra.put(name, value);
        return this;
    }

    public Event build() {
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.put("v", Event.PROTOCOL_VERSION);
        if (runId != null) {
            p.put("run_id", runId);
        }
        p.put("host", host);
        p.put("workload", workload);
        p.put("repetition", repetition);
        if (totalRepetitions != null) {
            p.put("total_repetitions", totalRepetitions);
        }
        p.put("status", status.wireName());
        p.put("type", type.wireName());
        p.put("level", level.wireName());
        if (src != null) {
            p.put("src", src);
        }
        if (seq != null) {
            // The node type a parser would produce for this number, so a built payload equals its parsed copy.
            if (seq <= Integer.MAX_VALUE) {
                p.put("seq", seq.intValue());
            } else {
                p.put("seq", seq.longValue());
            }
        }
        if (ts != null) {
            p.put("ts", ts);
        }
        if (message != null) {
            p.put("message", message);
        }
        if (errorType != null) {
            p.put("error_type", errorType);
        }
        if (errorContext != null) {
            p.set("error_context", errorContext);
        }
        extra.forEach(p::set);
        return new Event(Event.PROTOCOL_VERSION, runId, host, workload, repetition, totalRepetitions, status, type,
                level, message, ts, src, seq, errorType, p);
    }
}

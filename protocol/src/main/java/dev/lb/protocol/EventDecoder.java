package dev.lb.protocol;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * Validates a payload against protocol v1. Each invalid case throws {@link InvalidEventException} with its
 * {@link RejectReason} and a message that names the field and the value, so a rejection can be acted on.
 */
public final class EventDecoder {
    private static final Pattern INTEGER_TEXT = Pattern.compile("[+-]?\\d{1,18}");
    private static final Pattern NUMBER_TEXT = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final ObjectReader READER = Json.MAPPER.reader();

    private EventDecoder() {
    }

    /** Parses one JSON text (already unescaped) into an event. */
    public static Event decode(String json) throws InvalidEventException {
        JsonNode node;
        try {
            node = READER.readTree(json);
        } catch (StreamReadException e) {
            if (isDuplicateField(e)) {
                throw new InvalidEventException(RejectReason.DUPLICATE_FIELD, e.getOriginalMessage());
            }
            throw new InvalidEventException(RejectReason.MALFORMED_JSON, describe(e));
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(RejectReason.MALFORMED_JSON, describe(e));
        }
        if (node == null || !node.isObject()) {
            throw new InvalidEventException(RejectReason.NOT_AN_OBJECT,
                    "payload is " + (node == null ? "empty" : "a JSON " + node.getNodeType().name().toLowerCase())
                            + ", not an object");
        }
        return decode((ObjectNode) node);
    }

    public static Event decode(ObjectNode p) throws InvalidEventException {
        int version = optionalInt(p, "v", 1, 0);
        if (version != Event.PROTOCOL_VERSION) {
            throw new InvalidEventException(RejectReason.UNSUPPORTED_VERSION,
                    "field 'v' is " + version + "; this build reads protocol version " + Event.PROTOCOL_VERSION);
        }
        String host = requiredString(p, "host");
        String workload = requiredString(p, "workload");
        int repetition = requiredInt(p, "repetition", 0);
        String statusText = requiredString(p, "status");
        EventStatus status = EventStatus.parse(statusText).orElseThrow(() -> new InvalidEventException(
                RejectReason.UNKNOWN_VALUE, "field 'status' is " + quoted(statusText)
                        + ", expected running, done, failed, stopped, skipped, unreachable or timeout"));
        Integer total = p.hasNonNull("total_repetitions") ? requiredInt(p, "total_repetitions", 0) : null;
        String typeText = optionalString(p, "type");
        EventType type = typeText == null ? EventType.STATUS : EventType.parse(typeText).orElseThrow(
                () -> new InvalidEventException(RejectReason.UNKNOWN_VALUE, "field 'type' is " + quoted(typeText)
                        + ", expected " + EventType.wireNames()));
        String levelText = optionalString(p, "level");
        EventLevel level = levelText == null ? EventLevel.INFO : EventLevel.parse(levelText).orElseThrow(
                () -> new InvalidEventException(RejectReason.UNKNOWN_VALUE, "field 'level' is " + quoted(levelText)
                        + ", expected DEBUG, INFO, WARNING or ERROR"));
        String message = optionalString(p, "message");
        BigDecimal ts = optionalNumber(p, "ts");
        String src = optionalString(p, "src");
        // seq counts from 1 (the protocol); a 0 would look to the de-duplication like an event already seen.
        Long seq = p.hasNonNull("seq") ? requiredLong(p, "seq", 1) : null;
        String errorType = optionalString(p, "error_type");
        JsonNode errorContext = p.get("error_context");
        if (errorContext != null && !errorContext.isNull() && !errorContext.isObject()) {
            throw new InvalidEventException(RejectReason.WRONG_TYPE,
                    "field 'error_context' is a " + kind(errorContext) + ", expected an object");
        }
        String runId = optionalString(p, "run_id");
        return new Event(version, runId, host, workload, repetition, total, status, type, level, message, ts, src,
                seq, errorType, p);
    }

    private static String requiredString(ObjectNode p, String field) throws InvalidEventException {
        JsonNode n = p.get(field);
        if (n == null || n.isNull()) {
            throw new InvalidEventException(RejectReason.MISSING_FIELD, "missing field '" + field + "'");
        }
        if (!n.isTextual()) {
            throw new InvalidEventException(RejectReason.WRONG_TYPE,
                    "field '" + field + "' is a " + kind(n) + ", expected a string");
        }
        if (n.textValue().isEmpty()) {
            throw new InvalidEventException(RejectReason.MISSING_FIELD, "field '" + field + "' is empty");
        }
        return n.textValue();
    }

    private static String optionalString(ObjectNode p, String field) throws InvalidEventException {
        JsonNode n = p.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new InvalidEventException(RejectReason.WRONG_TYPE,
                    "field '" + field + "' is a " + kind(n) + ", expected a string");
        }
        return n.textValue();
    }

    private static int optionalInt(ObjectNode p, String field, int absent, long min) throws InvalidEventException {
        return p.hasNonNull(field) ? requiredInt(p, field, min) : absent;
    }

    private static int requiredInt(ObjectNode p, String field, long min) throws InvalidEventException {
        long value = requiredLong(p, field, min);
        if (value > Integer.MAX_VALUE) {
            throw new InvalidEventException(RejectReason.OUT_OF_RANGE,
                    "field '" + field + "' is " + value + ", above " + Integer.MAX_VALUE);
        }
        return (int) value;
    }

    /** An integer, given as a JSON integer, an integral number ({@code 3.0}) or a numeric string ({@code "3"}). */
    private static long requiredLong(ObjectNode p, String field, long min) throws InvalidEventException {
        JsonNode n = p.get(field);
        if (n == null || n.isNull()) {
            throw new InvalidEventException(RejectReason.MISSING_FIELD, "missing field '" + field + "'");
        }
        long value;
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            value = n.longValue();
        } else if (n.isNumber()) {
            value = integral(field, n.decimalValue(), n.toString());
        } else if (n.isTextual()) {
            String t = n.textValue().trim();
            if (!INTEGER_TEXT.matcher(t).matches()) {
                throw new InvalidEventException(RejectReason.NOT_AN_INTEGER,
                        "field '" + field + "' is \"" + clip(n.textValue()) + "\", not an integer");
            }
            value = Long.parseLong(t);
        } else {
            throw new InvalidEventException(RejectReason.NOT_AN_INTEGER,
                    "field '" + field + "' is a " + kind(n) + ", not an integer");
        }
        if (value < min) {
            throw new InvalidEventException(RejectReason.OUT_OF_RANGE,
                    "field '" + field + "' is " + value + ", below " + min);
        }
        return value;
    }

    private static long integral(String field, BigDecimal d, String text) throws InvalidEventException {
        try {
            BigInteger i = d.toBigIntegerExact();
            if (i.bitLength() > 63) {
                throw new InvalidEventException(RejectReason.OUT_OF_RANGE,
                        "field '" + field + "' is " + clip(text) + ", too large");
            }
            return i.longValue();
        } catch (ArithmeticException e) {
            throw new InvalidEventException(RejectReason.NOT_AN_INTEGER,
                    "field '" + field + "' is " + clip(text) + ", not an integer");
        }
    }

    private static BigDecimal optionalNumber(ObjectNode p, String field) throws InvalidEventException {
        JsonNode n = p.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            return n.decimalValue();
        }
        if (n.isTextual() && NUMBER_TEXT.matcher(n.textValue().trim()).matches()) {
            return new BigDecimal(n.textValue().trim());
        }
        throw new InvalidEventException(RejectReason.WRONG_TYPE,
                "field '" + field + "' is " + (n.isTextual() ? "\"" + clip(n.textValue()) + "\"" : "a " + kind(n))
                        + ", expected a number");
    }

    private static boolean isDuplicateField(StreamReadException e) {
        return e instanceof JsonParseException && e.getOriginalMessage() != null
                && e.getOriginalMessage().startsWith("Duplicate field");
    }

    /**
     * A rejected word as a JSON string (clipped): escapes, control characters and trailing spaces stay visible, where
     * the terminal sanitizing of a raw quote would strip them and show a valid-looking word.
     */
    private static String quoted(String value) {
        return Json.MAPPER.getNodeFactory().textNode(clip(value)).toString();
    }

    /** Jackson's advice to a programmer ("enable `JsonReadFeature.X` to allow"), not for a user: left out. */
    private static final java.util.regex.Pattern FEATURE_HINT = java.util.regex.Pattern.compile(
            "[:;,]?\\s*\\(?(?:or )?enable `?\\w*Feature\\.\\w+`?(?: to allow)?\\)?");

    private static String describe(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) {
            m = e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        String first = FEATURE_HINT.matcher(nl < 0 ? m : m.substring(0, nl)).replaceAll("");
        if (e.getLocation() != null && e.getLocation().getColumnNr() > 0) {
            return first + " at column " + e.getLocation().getColumnNr();
        }
        return first;
    }

    private static String kind(JsonNode n) {
        return switch (n.getNodeType()) {
            case ARRAY -> "array";
            case OBJECT, POJO -> "object";
            case BOOLEAN -> "boolean";
            case NUMBER -> "number";
            case STRING -> "string";
            default -> n.getNodeType().name().toLowerCase();
        };
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}

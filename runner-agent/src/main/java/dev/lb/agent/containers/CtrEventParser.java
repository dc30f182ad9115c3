package dev.lb.agent.containers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.Json;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code ctr events} lines by their structure: a timestamp of four space-separated parts
 * ({@code 2026-11-23 16:39:43.405663279 +0000 UTC}, the fraction 0 to 9 digits), the namespace, the topic, then
 * the JSON payload as the rest of the line (it may contain spaces). Splitting on spaces would break on the payload.
 */
public final class CtrEventParser {
    /** Why a line is not an event; the watcher counts these and goes on. */
    public static final class Malformed extends Exception {
        public Malformed(String message) {
            super(message);
        }
    }

    public static final int MAX_LINE_CHARS = 256 * 1024;
    private static final Pattern LINE = Pattern.compile(
            "^(\\d{4}-\\d{2}-\\d{2}) (\\d{2}:\\d{2}:\\d{2})(?:\\.(\\d{1,9}))? ([+-]\\d{4}) (\\S+) (\\S+) (/\\S+) (\\{.*)$");

    private CtrEventParser() {
    }

    public static CtrEvent parse(String line) throws Malformed {
        if (line.length() > MAX_LINE_CHARS) {
            throw new Malformed("line of " + line.length() + " characters is over the limit of " + MAX_LINE_CHARS);
        }
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            throw new Malformed("not '<date> <time> <offset> <zone> <namespace> <topic> <json>'");
        }
        Instant ts;
        try {
            String fraction = m.group(3) == null ? "" : m.group(3);
            LocalTime time = LocalTime.parse(m.group(2)).withNano(fraction.isEmpty() ? 0
                    : Integer.parseInt((fraction + "000000000").substring(0, 9)));
            ts = LocalDate.parse(m.group(1)).atTime(time).toInstant(ZoneOffset.of(m.group(4)));
        } catch (DateTimeParseException e) {
            throw new Malformed("bad timestamp: " + e.getMessage());
        }
        JsonNode payload;
        try {
            payload = Json.MAPPER.readTree(m.group(8));
        } catch (JsonProcessingException e) {
            throw new Malformed("payload is not JSON: " + e.getOriginalMessage());
        }
        if (!(payload instanceof ObjectNode o)) {
            throw new Malformed("payload is not a JSON object");
        }
        return new CtrEvent(ts, m.group(6), m.group(7), o);
    }

    /** {@code exited_at}: an RFC 3339 string (containerd 1.6) or {@code {"seconds":..,"nanos":..}} (1.7+). */
    public static Instant exitedAt(JsonNode n) throws Malformed {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isTextual()) {
            try {
                return Instant.parse(n.textValue());
            } catch (DateTimeParseException e) {
                throw new Malformed("exited_at '" + n.textValue() + "' is not RFC 3339");
            }
        }
        if (n.isObject()) {
            return Instant.ofEpochSecond(n.path("seconds").asLong(), n.path("nanos").asLong());
        }
        throw new Malformed("exited_at is neither a string nor {seconds, nanos}");
    }
}

package dev.lb.controller.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.Json;
import java.io.IOException;

/**
 * One line of the lb_events callback's JSONL file, the one reader of that format (the run, {@code lb events parse},
 * {@code lb doctor}). A forwarded line is a JSON header {@code {"kind":"line","host":..,..}}, one space, and the line
 * exactly as the task result held it: the callback never decodes or encodes a payload. Every other record is one
 * JSON object ({@code warning}, {@code skipped}, {@code diagnostic}, {@code stats}; {@code event} and
 * {@code rejected} from callbacks before the forwarded lines, still read).
 */
public sealed interface CallbackRecord {
    String LINE_HEADER = "{\"kind\":\"line\"";
    /** The header is followed by the line: not trailing garbage here. */
    ObjectReader HEADER = Json.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** A forwarded line and the inventory host whose task result held it (null when the header does not say). */
    record Line(String host, String text) implements CallbackRecord {
    }

    /** Any other record, by its kind ("" when it has none). */
    record Other(String kind, JsonNode record) implements CallbackRecord {
    }

    /** Not a record: why, in one sentence. */
    record Damaged(String why) implements CallbackRecord {
    }

    static CallbackRecord parse(String line) {
        if (line.startsWith(LINE_HEADER)) {
            try (JsonParser p = Json.MAPPER.createParser(line)) {
                JsonNode header = HEADER.readTree(p);
                int end = (int) p.currentLocation().getCharOffset();
                if (!(header instanceof ObjectNode) || end >= line.length() || line.charAt(end) != ' ') {
                    return new Damaged("a forwarded line's header is not followed by a space and the line");
                }
                JsonNode host = header.get("host");
                return new Line(host != null && host.isTextual() ? host.textValue() : null, line.substring(end + 1));
            } catch (IOException e) {
                return new Damaged("a forwarded line's header is not JSON: " + firstLine(e.getMessage()));
            }
        }
        try {
            JsonNode record = Json.MAPPER.readTree(line);
            if (!(record instanceof ObjectNode)) {
                return new Damaged("not a JSON object");
            }
            return new Other(record.path("kind").asText(""), record);
        } catch (IOException e) {
            return new Damaged("not a JSON record: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}

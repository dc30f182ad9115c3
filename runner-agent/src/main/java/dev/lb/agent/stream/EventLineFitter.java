package dev.lb.agent.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.EventEncoder;
import dev.lb.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Encodes an event as its stream line, {@code LB_EVENT {json}\n}, within a limit on the line's bytes. The limit is
 * on the encoded line because JSON escaping can make it six times longer than the text it carries (a control byte
 * becomes {@code \u0001}), and the poll step skips a line over its per-poll budget.
 *
 * <p>An event over the limit is not dropped: its message is cut, at a code point boundary and before encoding, so
 * no escape sequence or surrogate pair is ever split, to the longest head that fits. The event is marked
 * {@code "truncated": true} with the message's length in UTF-8 bytes in {@code line_bytes}, the fields
 * {@code LineEvents} sets for an over-long output line; when they are already there the larger length is kept.
 *
 * <p>When even an empty message does not fit (a large error context under a small limit), the other long strings
 * outside the protocol's own fields are shortened as well, then the message gets what room is left. Only an event
 * whose protocol fields alone exceed the limit cannot be written: that is an {@link IOException}.
 */
final class EventLineFitter {
    /** Below this, a final event's seal and error context may not fit; the documented minimum. */
    static final int MIN_MAX_EVENT_BYTES = 4096;

    /** Fields a reader needs as they are: never shortened. */
    private static final Set<String> PROTOCOL_FIELDS = Set.of("v", "run_id", "host", "workload", "repetition",
            "total_repetitions", "status", "type", "level", "src", "seq", "ts", "message", "error_type", "truncated",
            "line_bytes", "seal");

    private static final byte[] PREFIX = EventEncoder.PREFIX.getBytes(StandardCharsets.UTF_8);

    private final int maxBytes;

    EventLineFitter(int maxBytes) {
        if (maxBytes < MIN_MAX_EVENT_BYTES) {
            throw new IllegalArgumentException("the event line limit must be at least " + MIN_MAX_EVENT_BYTES
                    + " bytes, was " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    int maxBytes() {
        return maxBytes;
    }

    /** The whole stream line for this payload, newline included, at most {@code maxBytes} long. */
    byte[] line(ObjectNode payload) throws IOException {
        byte[] line = encode(payload);
        if (line.length <= maxBytes) {
            return line;
        }
        ObjectNode p = payload.deepCopy();
        JsonNode messageNode = p.get("message");
        String message = messageNode != null && messageNode.isTextual() ? messageNode.asText() : null;
        p.put("truncated", true);
        if (message != null) {
            long bytes = message.getBytes(StandardCharsets.UTF_8).length;
            JsonNode earlier = p.get("line_bytes");
            p.put("line_bytes", earlier != null && earlier.canConvertToLong() ? Math.max(earlier.asLong(), bytes) : bytes);
            p.put("message", "");
        }
        int overhead = encode(p).length;
        if (overhead > maxBytes) {
            overhead = shortenOtherStrings(p, payload);
        }
        if (message == null) {
            return encode(p);
        }
        int budget = maxBytes - overhead;
        while (true) {
            p.put("message", head(message, budget));
            line = encode(p);
            if (line.length <= maxBytes) {
                return line;
            }
            // The escape estimate was short of the encoder's real output; cut by the difference and measure again.
            budget -= line.length - maxBytes;
        }
    }

    /** Caps every string outside the protocol fields, halving the cap until the line fits; returns its length. */
    private int shortenOtherStrings(ObjectNode p, ObjectNode original) throws IOException {
        List<String> names = new ArrayList<>();
        p.fieldNames().forEachRemaining(n -> {
            if (!PROTOCOL_FIELDS.contains(n)) {
                names.add(n);
            }
        });
        int longest = 0;
        for (String n : names) {
            longest = Math.max(longest, longestString(p.get(n)));
        }
        for (int cap = longest / 2; ; cap /= 2) {
            for (String n : names) {
                p.set(n, capStrings(original.get(n), cap));
            }
            int length = encode(p).length;
            if (length <= maxBytes) {
                return length;
            }
            if (cap == 0) {
                throw new IOException("an event of " + encode(original).length + " bytes cannot be shortened to the"
                        + " event line limit of " + maxBytes + " bytes (" + length + " bytes without any text)");
            }
        }
    }

    private static int longestString(JsonNode node) {
        if (node.isTextual()) {
            return node.asText().length();
        }
        int longest = 0;
        for (JsonNode child : node) {
            longest = Math.max(longest, longestString(child));
        }
        return longest;
    }

    private static JsonNode capStrings(JsonNode node, int cap) {
        if (node.isTextual()) {
            String s = node.asText();
            return s.length() <= cap ? node : Json.MAPPER.getNodeFactory().textNode(s.substring(0, cutPoint(s, cap)));
        }
        if (node.isObject()) {
            ObjectNode copy = Json.MAPPER.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                copy.set(e.getKey(), capStrings(e.getValue(), cap));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = Json.MAPPER.createArrayNode();
            node.forEach(child -> copy.add(capStrings(child, cap)));
            return copy;
        }
        return node;
    }

    /** At most {@code chars} chars of {@code s}, one less when that would split a surrogate pair. */
    private static int cutPoint(String s, int chars) {
        return chars > 0 && Character.isHighSurrogate(s.charAt(chars - 1)) ? chars - 1 : chars;
    }

    /** The longest head of {@code s}, whole code points only, whose encoded form takes at most {@code budget} bytes. */
    static String head(String s, int budget) {
        int used = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            used += encodedBytes(cp);
            if (used > budget) {
                break;
            }
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    /** Bytes one code point takes inside a JSON string as {@link Json#line} writes it. */
    static int encodedBytes(int cp) {
        if (cp == '"' || cp == '\\' || cp == '\b' || cp == '\t' || cp == '\n' || cp == '\f' || cp == '\r') {
            return 2;
        }
        if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 || cp == 0xfeff) {
            return 6;
        }
        if (cp < 0x80) {
            return 1;
        }
        return cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    private static byte[] encode(ObjectNode payload) {
        byte[] json = Json.line(payload).getBytes(StandardCharsets.UTF_8);
        byte[] line = new byte[PREFIX.length + json.length + 1];
        System.arraycopy(PREFIX, 0, line, 0, PREFIX.length);
        System.arraycopy(json, 0, line, PREFIX.length, json.length);
        line[line.length - 1] = '\n';
        return line;
    }
}

package dev.lb.controller.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.lb.protocol.Json;

/**
 * JSON that can stand inside an HTML {@code <script>} element: {@code <}, {@code >} and {@code &} are written as
 * {@code \u003c}, {@code \u003e}, {@code \u0026}, so no text in the data (a {@code </script>}, a {@code <!--}, an event
 * message) can end the element or open a comment; U+2028 and U+2029 are escaped as well, as older JavaScript parsers
 * took them for line ends. Parsed back, the text is exactly what went in.
 */
public final class ScriptSafeJson {
    private static final ObjectWriter WRITER = Json.MAPPER.writer().with(new Escapes());

    private ScriptSafeJson() {
    }

    public static String write(JsonNode data) {
        try {
            return WRITER.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            // A tree of JSON nodes always serializes; reaching this is a bug, not bad input.
            throw new IllegalStateException("cannot write the report data as JSON", e);
        }
    }

    private static final class Escapes extends CharacterEscapes {
        private final int[] ascii = standardAsciiEscapesForJSON();

        Escapes() {
            ascii['<'] = ESCAPE_STANDARD;
            ascii['>'] = ESCAPE_STANDARD;
            ascii['&'] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch == 0x2028 || ch == 0x2029) {
                return new SerializedString(String.format("\\u%04x", ch));
            }
            return null;
        }
    }
}

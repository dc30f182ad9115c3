package dev.lb.controller.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Loki's push body, written by hand: byte for byte what Loki's push API documents, and JSON any decoder reads back. */
class LokiPushBodyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writesTheDocumentedShapeByteForByte() {
        SortedMap<String, String> stream = labels("host", "web-1", "service_name", "lb");
        Map<SortedMap<String, String>, List<LokiExporter.Entry>> streams = new LinkedHashMap<>();
        streams.put(stream, List.of(new LokiExporter.Entry(stream, 1_796_600_000_150_000_000L, "{\"seq\":1}"),
                new LokiExporter.Entry(stream, 1_796_600_000_150_000_001L, "tab\there \"q\" \\ é€😀")));
        LokiPushBody body = new LokiPushBody();
        body.write(streams);
        assertEquals("{\"streams\":[{\"stream\":{\"host\":\"web-1\",\"service_name\":\"lb\"},\"values\":["
                + "[\"1796600000150000000\",\"{\\\"seq\\\":1}\"],"
                + "[\"1796600000150000001\",\"tab\\there \\\"q\\\" \\\\ é€😀\"]]}]}", text(body));
    }

    /**
     * Seeded random lines from an alphabet of everything that needs care (quotes, backslashes, every control
     * character, DEL, two- and three-byte characters, surrogate pairs and lone surrogates of both halves) read back
     * by Jackson as exactly the strings written, with the labels, the timestamps and the order of streams and entries.
     */
    @Test
    void anyTextReadsBackAsItWas() throws Exception {
        Random random = new Random(31);
        char[] alphabet = alphabet();
        LokiPushBody body = new LokiPushBody();   // reused, as the sending thread does: no byte of a push leaks into the next
        for (int round = 0; round < 200; round++) {
            Map<SortedMap<String, String>, List<LokiExporter.Entry>> streams = new LinkedHashMap<>();
            for (int s = 0; s < 1 + random.nextInt(4); s++) {
                SortedMap<String, String> labels = labels("host", randomText(random, alphabet, 12), "service_name", "lb");
                List<LokiExporter.Entry> entries = new ArrayList<>();
                for (int i = 0; i < random.nextInt(30); i++) {
                    entries.add(new LokiExporter.Entry(labels, random.nextLong() & Long.MAX_VALUE,
                            randomText(random, alphabet, random.nextInt(5) == 0 ? 3_000 : 80)));
                }
                streams.put(labels, entries);
            }
            body.write(streams);
            strictUtf8(body);
            assertEquals(expected(streams), JSON.readTree(body.bytes(), 0, body.length()), "round " + round);
        }
    }

    @Test
    void growsForAPushLargerThanItsFirstArray() throws Exception {
        SortedMap<String, String> stream = labels("host", "a");
        String line = "\"".repeat(100_000);   // each quote escaped: 200,000 bytes from one line
        Map<SortedMap<String, String>, List<LokiExporter.Entry>> streams = Map.of(stream,
                Collections.nCopies(3, new LokiExporter.Entry(stream, 1, line)));
        LokiPushBody body = new LokiPushBody();
        body.write(streams);
        assertEquals(expected(streams), JSON.readTree(body.bytes(), 0, body.length()));
    }

    /**
     * Valid UTF-8 throughout, as a Go decoder (Loki's) wants it: Jackson alone would also read a surrogate encoded
     * in three bytes, which is not UTF-8 and which Loki would turn into U+FFFD.
     */
    private static void strictUtf8(LokiPushBody body) throws CharacterCodingException {
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body.bytes(), 0, body.length()));
    }

    private static JsonNode expected(Map<SortedMap<String, String>, List<LokiExporter.Entry>> streams) {
        ObjectNode push = JSON.createObjectNode();
        ArrayNode list = push.putArray("streams");
        streams.forEach((labels, entries) -> {
            ObjectNode s = list.addObject();
            ObjectNode l = s.putObject("stream");
            labels.forEach(l::put);
            ArrayNode values = s.putArray("values");
            entries.forEach(e -> values.addArray().add(Long.toString(e.timestampNanos())).add(e.line()));
        });
        return push;
    }

    private static char[] alphabet() {
        StringBuilder a = new StringBuilder("abcXYZ019 {}[]:,\"\\/\u007f\u0080\u00e9\u07ff\u0800\u20ac\uffff\u2028");
        for (char c = 0; c < 0x20; c++) {
            a.append(c);
        }
        a.append("\ud83d\ude00");                    // a pair, and below each half alone
        a.append('\ud800').append('\udfff');
        return a.toString().toCharArray();
    }

    private static String randomText(Random random, char[] alphabet, int max) {
        char[] c = new char[random.nextInt(max + 1)];
        for (int i = 0; i < c.length; i++) {
            c[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return new String(c);
    }

    private static SortedMap<String, String> labels(String... kv) {
        SortedMap<String, String> m = new TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String text(LokiPushBody body) {
        return new String(body.bytes(), 0, body.length(), StandardCharsets.UTF_8);
    }
}

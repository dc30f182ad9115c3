package dev.lb.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventIdentityTest {
    private static EventIdentity id(String json) throws InvalidEventException {
        return EventDecoder.decode(json).identity();
    }

    @Test
    void withSeqOnlyTheIdentityFieldsCount() throws Exception {
        assertEquals(
                id("{\"run_id\":\"r\",\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"src\":\"agent\",\"seq\":5,\"message\":\"a\"}"),
                id("{\"seq\":5,\"src\":\"agent\",\"status\":\"done\",\"repetition\":\"1\",\"workload\":\"w\",\"host\":\"h\",\"run_id\":\"r\",\"message\":\"b\"}"));
    }

    @Test
    void sameTextWithDistinctSeqAreTwoEvents() throws Exception {
        String a = "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"src\":\"agent\",\"message\":\"same\",\"seq\":";
        assertNotEquals(id(a + "1}"), id(a + "2}"));
    }

    @Test
    void eachIdentityFieldSeparatesEvents() throws Exception {
        String base = "{\"run_id\":\"r\",\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"src\":\"s\",\"seq\":1}";
        EventIdentity reference = id(base);
        assertNotEquals(reference, id(base.replace("\"r\"", "\"r2\"")));
        assertNotEquals(reference, id(base.replace("\"h\"", "\"h2\"")));
        assertNotEquals(reference, id(base.replace("\"w\"", "\"w2\"")));
        assertNotEquals(reference, id(base.replace("\"repetition\":1", "\"repetition\":2")));
        assertNotEquals(reference, id(base.replace("\"s\"", "\"s2\"")));
        assertNotEquals(reference, id(base.replace(",\"run_id\":\"r\"", "").replace("{\"run_id\":\"r\",", "{")));
    }

    @Test
    void fieldSeparatorCannotBeForgedByConcatenation() throws Exception {
        assertNotEquals(
                id("{\"host\":\"a\\u0000b\",\"workload\":\"c\",\"repetition\":1,\"status\":\"done\",\"seq\":1}"),
                id("{\"host\":\"a\",\"workload\":\"b\\u0000c\",\"repetition\":1,\"status\":\"done\",\"seq\":1}"));
    }

    @Test
    void withoutSeqTheCanonicalPayloadIsTheIdentity() throws Exception {
        assertEquals(
                id("{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"done\",\"ts\":1.0,\"x\":{\"b\":1,\"a\":[2]}}"),
                id("{ \"x\": {\"a\":[2], \"b\":1}, \"ts\":1.00, \"status\":\"done\",\"repetition\":1,\"workload\":\"w\",\"host\":\"h\"}"));
        assertNotEquals(
                id("{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"done\",\"message\":\"a\"}"),
                id("{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"done\",\"message\":\"a\",\"ts\":2}"));
    }

    /** The canonical form as first written: every name and scalar printed by Jackson. The reference for the one in use. */
    private static void reference(JsonNode n, StringBuilder sb) {
        if (n instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            Collections.sort(names);
            sb.append('{');
            boolean first = true;
            for (String name : names) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                sb.append(Json.MAPPER.getNodeFactory().textNode(name).toString()).append(':');
                reference(o.get(name), sb);
            }
            sb.append('}');
        } else if (n.isArray()) {
            sb.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                reference(n.get(i), sb);
            }
            sb.append(']');
        } else if (n.isNumber()) {
            sb.append(n.decimalValue().stripTrailingZeros().toPlainString());
        } else {
            sb.append(n.toString());
        }
    }

    private static final String[] PIECES = {"a", "Z", "_", "0", " ", "\\\"", "\\\\", "\\n", "\\t", "\\u0001", "\\u001f", "/",
        "~", "\\u007f", "\\u0080", "é", "日本", "\\ud83d\\ude00", "\\u001b[31m", "LB_EVENT", "{", "}", ":", ","};
    private static final String[] NUMBERS = {"0", "-0", "1", "-17", "100", "1e2", "1.0", "1.50", "-2.500e-3", "0.0",
        "2147483647", "2147483648", "-9223372036854775808", "9223372036854775807", "9223372036854775808",
        "123456789012345678901234567890", "1796647859.639819", "1E+400", "4.9e-324", "3.14159265358979323846264"};

    private static String randomString(Random r) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = r.nextInt(6); i > 0; i--) {
            sb.append(PIECES[r.nextInt(PIECES.length)]);
        }
        return sb.append('"').toString();
    }

    private static String randomJson(Random r, int depth) {
        int kind = depth > 3 ? 2 + r.nextInt(4) : r.nextInt(6);
        switch (kind) {
            case 0: {
                StringBuilder sb = new StringBuilder("{");
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {   // names distinct (the decoder rejects a repeated one)
                    sb.append(i > 0 ? "," : "").append(i % 2 == 0 ? randomString(r).replaceFirst("\"$", i + "\"") : "\"k" + i + "\"")
                            .append(':').append(randomJson(r, depth + 1));
                }
                return sb.append('}').toString();
            }
            case 1: {
                StringBuilder sb = new StringBuilder("[");
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    sb.append(i > 0 ? "," : "").append(randomJson(r, depth + 1));
                }
                return sb.append(']').toString();
            }
            case 2:
                return randomString(r);
            case 3:
                return NUMBERS[r.nextInt(NUMBERS.length)];
            case 4:
                return new String[] {"true", "false", "null"}[r.nextInt(3)];
            default:
                return Long.toString(r.nextLong() >> r.nextInt(64));
        }
    }

    @Test
    void theCanonicalFormIsJacksonsPrintingOfEveryNameAndValueSortedByName() throws Exception {
        Random r = new Random(32);
        int objects = 0;
        for (int i = 0; i < 20_000; i++) {
            String json = randomJson(r, 0);
            JsonNode node = Json.MAPPER.readTree(json);
            StringBuilder expected = new StringBuilder();
            reference(node, expected);
            StringBuilder actual = new StringBuilder();
            EventIdentity.canonical(node, actual);
            assertEquals(expected.toString(), actual.toString(), json);
            objects += node.isObject() ? 1 : 0;
        }
        assertTrue(objects > 3_000, "objects generated: " + objects);
        // An agent's payload, keys in the agent's order (unsorted) and in sorted order: the same text either way.
        String payload = "{\"v\":1,\"run_id\":\"r\",\"host\":\"h\",\"ts\":1796647859.639819,\"seq\":7,"
                + "\"message\":\"event 7 of the \\\"paced\\\" benchmark\\u001b[0m\",\"metrics\":[{\"name\":\"x\",\"value\":1.50}]}";
        StringBuilder a = new StringBuilder();
        EventIdentity.canonical(Json.MAPPER.readTree(payload), a);
        StringBuilder b = new StringBuilder();
        reference(Json.MAPPER.readTree(payload), b);
        assertEquals(b.toString(), a.toString());
        assertTrue(a.toString().startsWith("{\"host\":\"h\",\"message\":\"event 7 of the \\\"paced\\\" benchmark\\u001B[0m\""),
                a.toString());
    }
}

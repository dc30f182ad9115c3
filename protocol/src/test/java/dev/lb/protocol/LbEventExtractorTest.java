package dev.lb.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LbEventExtractorTest {
    private static final String PAYLOAD = "{\"run_id\":\"r\",\"host\":\"web-1\",\"workload\":\"cpu\",\"repetition\":1,"
            + "\"status\":\"running\",\"type\":\"log\",\"src\":\"agent\",\"seq\":7,\"ts\":1.25,"
            + "\"message\":\"quote \\\" brace { bracket ] backslash \\\\ marker LB_EVENT {\\\"host\\\":1} caf\u00e9 \u2603 \ud83d\ude00\","
            + "\"nested\":{\"a\":[1,{\"b\":\"}\"}],\"c\":null}}";
    private static final String LINE = "LB_EVENT " + PAYLOAD;

    private final LbEventExtractor extractor = new LbEventExtractor();

    private Event only(String line) {
        List<Extraction> found = extractor.extract(line);
        assertEquals(1, found.size(), () -> "expected one payload in " + line + " but got " + found);
        Extraction.Found f = assertInstanceOf(Extraction.Found.class, found.get(0), () -> found.toString());
        return f.event();
    }

    private Extraction.Rejected rejected(String line) {
        List<Extraction> found = extractor.extract(line);
        assertEquals(1, found.size(), () -> "expected one payload in " + line + " but got " + found);
        return assertInstanceOf(Extraction.Rejected.class, found.get(0), () -> found.toString());
    }

    static List<OutputForms.Form> forms() {
        return OutputForms.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void everyOutputFormYieldsThePayloadExactly(OutputForms.Form form) throws Exception {
        String line = form.wrap().apply(LINE);
        List<Extraction> found = extractor.extract(line);
        assertTrue(!found.isEmpty(), () -> "nothing found in " + line);
        for (Extraction x : found) {
            Extraction.Found f = assertInstanceOf(Extraction.Found.class, x, () -> x + " in " + line);
            assertEquals(EventDecoder.decode(PAYLOAD).payload(), f.event().payload());
        }
    }

    @Test
    void lineWithoutMarkerYieldsNothing() {
        assertEquals(List.of(), extractor.extract("TASK [Gathering Facts] ******"));
        assertEquals(List.of(), extractor.extract(""));
        assertEquals(List.of(), extractor.extract("\u001b[0;32mok: [localhost]\u001b[0m"));
    }

    @Test
    void markerAsAPlainWordIsNotAPayload() {
        assertEquals(List.of(), extractor.extract("TASK [Poll LB_EVENT stream] *****"));
        assertEquals(List.of(), extractor.extract("      loop: \"{{ x | select('search', 'LB_EVENT') | list }}\""));
        assertEquals(List.of(), extractor.extract("grep LB_EVENT"));
    }

    @Test
    void colourCodeInsideTheMarkerIsRemovedFirst() {
        assertEquals("web-1", only("LB_\u001b[1mEVENT " + PAYLOAD).host());
    }

    @Test
    void severalPayloadsOnOneLineAreAllFound() {
        String a = LINE.replace("\"seq\":7", "\"seq\":1");
        String b = LINE.replace("\"seq\":7", "\"seq\":2");
        List<Extraction> found = extractor.extract(a + " then " + b + " " + OutputForms.jsonString(a));
        assertEquals(3, found.size());
        assertEquals(List.of(1L, 2L, 1L), found.stream().map(x -> ((Extraction.Found) x).event().seq()).toList());
    }

    @Test
    void markerQuotedInsideAMessageIsNotAPayloadOfItsOwn() {
        // PAYLOAD's message holds 'LB_EVENT {"host":1}': one event, not one event and one rejection.
        assertEquals(7L, only(LINE).seq());
        assertEquals(7L, only("    \"msg\": " + OutputForms.jsonString(LINE)).seq());
    }

    @Test
    void doublyQuotedPayloadIsDecodedTwice() {
        String twice = OutputForms.jsonString("LB_EVENT " + PAYLOAD);
        String line = "{\"msg\": " + OutputForms.jsonString("inner " + twice) + "}";
        assertEquals(7L, only(line).seq());
    }

    @Test
    void unicodeEscapesAndSurrogatePairsDecode() {
        String line = "\"msg\": \"LB_EVENT {\\\"host\\\":\\\"h\\\\u00e9\\\",\\\"workload\\\":\\\"w\\\",\\\"repetition\\\":1,"
                + "\\\"status\\\":\\\"done\\\",\\\"message\\\":\\\"\\ud83d\\ude00 \\u00e9\\\"}\"";
        Event e = only(line);
        assertEquals("h\u00e9", e.host());
        assertEquals("\ud83d\ude00 \u00e9", e.message());
    }

    @Test
    void escapedWhitespaceBeforeTheFirstKeyIsSkipped() {
        String pretty = "{\n  \"host\": \"h\",\n  \"workload\": \"w\",\n  \"repetition\": 1,\n  \"status\": \"done\"\n}";
        assertEquals("h", only("\"stdout\": " + OutputForms.jsonString("LB_EVENT " + pretty)).host());
    }

    @Test
    void yamlSingleQuotedScalarWithDoubledQuotesIsUnquoted() {
        Event e = only("  msg: 'LB_EVENT {\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"done\","
                + "\"message\":\"it''s ''quoted''\"}'");
        assertEquals("it's 'quoted'", e.message());
    }

    @Test
    void yamlDoubleQuotedEscapesDecode() {
        Event e = only("  msg: \"LB_EVENT {\\\"host\\\":\\\"h\\\",\\\"workload\\\":\\\"w\\\",\\\"repetition\\\":1,"
                + "\\\"status\\\":\\\"done\\\",\\\"message\\\":\\\"caf\\xE9 \\U0001F600 \\_\\\"}\"");
        assertEquals("caf\u00e9 \ud83d\ude00 \u00a0", e.message());
    }

    @Test
    void oneMegabyteLineIsExtracted() {
        String big = "x".repeat(1024 * 1024);
        String line = "prefix LB_EVENT {\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"message\":\""
                + big + "\"}";
        assertEquals(big.length(), only(line).message().length());
        assertEquals(big.length(), only("\"msg\": " + OutputForms.jsonString(line)).message().length());
    }

    @Test
    void truncatedRawPayloadIsRejected() {
        Extraction.Rejected r = rejected(LINE.substring(0, LINE.length() - 30));
        assertEquals(RejectReason.TRUNCATED_JSON, r.reason());
        assertEquals(1, r.column());
    }

    /**
     * Issue 29: a line written without its newline, the agent's next event glued on. The cut one is rejected; the
     * event after it is read, in every output form that carries the line.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void aMarkerAfterACutLineIsRecovered(OutputForms.Form form) throws Exception {
        String glued = form.wrap().apply("LB_EVENT {\"cut\":\"par" + LINE);
        List<Extraction> found = extractor.extract(glued);
        assertTrue(found.size() >= 2, () -> found + " in " + glued);
        for (int i = 0; i < found.size(); i += 2) {
            Extraction.Rejected r = assertInstanceOf(Extraction.Rejected.class, found.get(i), found::toString);
            assertEquals(RejectReason.TRUNCATED_JSON, r.reason());
            assertTrue(r.detail().startsWith("cut: the object does not close before the next LB_EVENT at column"),
                    r.detail());
            Extraction.Found f = assertInstanceOf(Extraction.Found.class, found.get(i + 1), found::toString);
            assertEquals(EventDecoder.decode(PAYLOAD).payload(), f.event().payload());
        }
    }

    @Test
    void aCutObjectFollowedByAnotherCutOneIsTwoRejections() {
        List<Extraction> found = extractor.extract("LB_EVENT {\"a\":1, LB_EVENT {\"b\":");
        assertEquals(2, found.size(), found::toString);
        assertTrue(found.stream().allMatch(x -> x instanceof Extraction.Rejected r
                && r.reason() == RejectReason.TRUNCATED_JSON), found::toString);
    }

    @Test
    void truncatedQuotedPayloadIsRejectedAndScanningGoesOn() {
        String cut = LINE.substring(0, 60);
        List<Extraction> found = extractor.extract(
                "{\"a\": " + OutputForms.jsonString(cut) + ", \"b\": " + OutputForms.jsonString(LINE) + "}");
        assertEquals(2, found.size(), found::toString);
        assertEquals(RejectReason.TRUNCATED_JSON, ((Extraction.Rejected) found.get(0)).reason());
        assertEquals(7L, ((Extraction.Found) found.get(1)).event().seq());
    }

    @Test
    void malformedJsonIsRejectedWithColumn() {
        Extraction.Rejected r = rejected("ab LB_EVENT {\"host\": \"h\" \"workload\": \"w\"}");
        assertEquals(RejectReason.MALFORMED_JSON, r.reason());
        assertEquals(4, r.column());
        assertTrue(r.detail().contains("column"), r.detail());
    }

    @Test
    void missingFieldIsNamed() {
        Extraction.Rejected r = rejected("LB_EVENT {\"host\":\"h\",\"workload\":\"w\",\"repetition\":1}");
        assertEquals(RejectReason.MISSING_FIELD, r.reason());
        assertTrue(r.detail().contains("'status'"), r.detail());
    }

    @Test
    void nonObjectPayloadsAreRejected() {
        assertEquals(RejectReason.NOT_AN_OBJECT, rejected("LB_EVENT [1, 2]").reason());
        assertEquals(RejectReason.NOT_AN_OBJECT, rejected("LB_EVENT \"text\"").reason());
        assertEquals(RejectReason.NOT_AN_OBJECT, rejected("LB_EVENT 42").reason());
    }

    @Test
    void aMarkerStartingItsLineWithNoJsonAfterItIsRejectedAsNoJson() {
        assertEquals(RejectReason.NO_JSON, rejected("LB_EVENT foo bar").reason());
        assertEquals(RejectReason.NO_JSON, rejected("  LB_EVENT <html>").reason());
        assertEquals(RejectReason.EMPTY_PAYLOAD, rejected("LB_EVENT").reason());
    }

    @Test
    void theMarkerAsAWordInsideALineOrALongerWordIsNotAPayload() {
        assertEquals(List.of(), extractor.extract("see the LB_EVENT marker in the docs"));
        assertEquals(List.of(), extractor.extract("LB_EVENTS are lines"));
    }

    @Test
    void markerFollowedByNothingIsRejected() {
        assertEquals(RejectReason.EMPTY_PAYLOAD, rejected("LB_EVENT ").reason());
    }

    @Test
    void badEscapeInQuotedPayloadIsRejected() {
        assertEquals(RejectReason.MALFORMED_JSON,
                rejected("\"msg\": \"LB_EVENT {\\\"host\\q\\\": 1}\"").reason());
    }

    @Test
    void lineOverTheLimitIsRejectedWithoutScanning() {
        LbEventExtractor small = new LbEventExtractor(100);
        List<Extraction> found = small.extract(LINE + " ".repeat(200));
        assertEquals(1, found.size());
        Extraction.Rejected r = (Extraction.Rejected) found.get(0);
        assertEquals(RejectReason.LINE_TOO_LONG, r.reason());
        assertTrue(r.detail().contains("limit of 100"), r.detail());
    }

    @Test
    void binaryGarbageAroundAPayloadIsHarmless() {
        String garbage = "\u0000\u0001\ufffd\ufffd\u00ff{{[[\"\\";
        assertEquals(7L, only(garbage + " " + LINE + " " + garbage).seq());
    }

    @Test
    void rejectionSnippetIsSafeToPrint() {
        Extraction.Rejected r = rejected("LB_EVENT {\"host\":\"\u001b]0;pwned\u0007\u0008\"");
        assertTrue(r.snippet().chars().noneMatch(c -> c < 0x20), r.snippet());
    }

    @Test
    void defaultCallbackRealLineFromCorpus() {
        String line = "    \"msg\": \"LB_EVENT {\\\"v\\\":1,\\\"run_id\\\":\\\"demo\\\",\\\"host\\\":\\\"web-1\\\","
                + "\\\"workload\\\":\\\"cpu\\\",\\\"repetition\\\":1,\\\"total_repetitions\\\":2,\\\"status\\\":\\\"running\\\","
                + "\\\"type\\\":\\\"log\\\",\\\"level\\\":\\\"INFO\\\",\\\"src\\\":\\\"agent\\\",\\\"seq\\\":3,\\\"ts\\\":1760000000.2,"
                + "\\\"message\\\":\\\"quote \\\\\\\" and brace { inside\\\"}\"";
        assertEquals("quote \" and brace { inside", only(line).message());
    }
}

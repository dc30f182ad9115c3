package dev.lb.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Framing a line with CompactEvent at hand gives exactly what the full scan gives (the same payloads, columns,
 * snippets and rejections, in order); the line that is just the marker and a compact event also carries its identity.
 */
class PlainFramingTest {
    private static final String AGENT_LINE = "LB_EVENT {\"v\":1,\"run_id\":\"r\",\"host\":\"h\",\"workload\":\"w\","
            + "\"repetition\":1,\"status\":\"running\",\"type\":\"log\",\"src\":\"agent\",\"seq\":7,\"ts\":1.25,"
            + "\"message\":\"quote \\\" brace { marker LB_EVENT {\\\"seq\\\":1} caf\u00e9\",\"stream\":\"stdout\"}";

    private final LbEventExtractor extractor = new LbEventExtractor();
    private final CompactEvent compact = new CompactEvent();

    /** What a framing result says, as comparable text (Payload is not a record). */
    private static List<String> described(List<Extraction> framed) {
        List<String> out = new ArrayList<>();
        for (Extraction x : framed) {
            if (x instanceof Extraction.Payload p) {
                out.add("payload " + p.column() + " " + p.json() + " | " + p.snippet());
            } else {
                out.add(x.toString());
            }
        }
        return out;
    }

    /**
     * Framed alike with CompactEvent at hand, and, for a line without a character below 0x20 (what the splitter
     * says of its bytes), alike without the search for colour codes too.
     */
    private void assertFramedAlike(String line) {
        List<String> full = described(extractor.frame(line));
        assertEquals(full, described(extractor.frame(line, compact)), line);
        if (line.chars().noneMatch(ch -> ch < 0x20)) {
            assertEquals(full, described(extractor.frame(line, compact, false)), "without controls: " + line);
        }
    }

    @Test
    void theAgentsLineIsOnePayloadWithItsIdentityRead() throws Exception {
        List<Extraction> framed = extractor.frame(AGENT_LINE, compact);
        assertEquals(1, framed.size());
        Extraction.Payload p = (Extraction.Payload) framed.get(0);
        assertNotNull(p.plainIdentity());
        assertEquals(EventDecoder.decode(p.json()).identity(), p.plainIdentity().identity());
        assertFramedAlike(AGENT_LINE);
    }

    /** Issue 29: an agent line cut at every point, the next agent line glued on: the glued event is always read. */
    @Test
    void anAgentLineGluedOntoACutOneIsFramedOnItsOwn() {
        for (int cut = "LB_EVENT {".length(); cut < AGENT_LINE.length() - 1; cut++) {
            String line = AGENT_LINE.substring(0, cut) + AGENT_LINE;
            List<Extraction> framed = extractor.frame(line, compact);
            assertEquals(described(extractor.frame(line)), described(framed), line);
            // The cut piece is rejected (twice when it ends just inside a marker its message quotes), then the event.
            assertTrue(framed.size() == 2 || framed.size() == 3, line + " -> " + framed);
            for (Extraction x : framed.subList(0, framed.size() - 1)) {
                assertTrue(x instanceof Extraction.Rejected, line + " -> " + framed);
            }
            Extraction.Payload p = (Extraction.Payload) framed.get(framed.size() - 1);
            assertEquals(AGENT_LINE.substring("LB_EVENT ".length()), p.json(), line);
        }
    }

    /**
     * Text around the payload, colour, a second payload: framed alike; a plain payload among them carries the
     * identity the decoder reads (issue 32: the loop item's header, {@code (item=LB_EVENT {...}) => {}), anything
     * the decoder must judge none.
     */
    @Test
    void otherFormsAreFramedAlikeAndOnlyPlainPayloadsCarryAnIdentity() throws Exception {
        EventIdentity expected = EventDecoder.decode(AGENT_LINE.substring("LB_EVENT ".length())).identity();
        String[][] cases = {{"  " + AGENT_LINE, "plain"}, {"x " + AGENT_LINE, "plain"}, {AGENT_LINE + " ", "plain"},
            {"ok: [localhost] => (item=" + AGENT_LINE + ") => {", "plain"},
            {AGENT_LINE + " LB_EVENT {\"host\":\"h\"}", "plain", "none"},
            {AGENT_LINE.replace("LB_EVENT {", "LB_EVENT  {"), "plain"},
            {"\u001b[0;32m" + AGENT_LINE + "\u001b[0m", "plain"},
            {AGENT_LINE.replace("\"ts\":1.25", "\"ts\":1e3"), "none"},
            {AGENT_LINE.replace("\"seq\":7,", ""), "none"}, {"LB_EVENT {\"host\":\"h\"}", "none"},
            {"LB_EVENT {"}};
        for (String[] c : cases) {
            String line = c[0];
            assertFramedAlike(line);
            List<String> identities = new ArrayList<>();
            for (Extraction x : extractor.frame(line, compact)) {
                if (x instanceof Extraction.Payload p) {
                    identities.add(p.plainIdentity() == null ? "none" : "plain");
                    if (p.plainIdentity() != null) {
                        Event e = EventDecoder.decode(p.json());
                        assertEquals(e.identity(), p.plainIdentity().identity(), line);
                        assertEquals(expected, p.plainIdentity().identity(), line);
                        assertEquals(Json.line(e.payload()), p.json(), "printed unchanged: " + line);
                    }
                }
            }
            assertEquals(List.of(c).subList(1, c.length), identities, line);
        }
    }

    /** Issue 32: a payload quoted once (a task result, a debug message) is unquoted and read in the same pass. */
    @Test
    void aPayloadQuotedOnceInsideAStringIsReadInOnePassWithItsIdentity() throws Exception {
        String payload = AGENT_LINE.substring("LB_EVENT ".length());
        EventIdentity expected = EventDecoder.decode(payload).identity();
        int checked = 0;
        for (OutputForms.Form form : OutputForms.all()) {
            String line = form.wrap().apply(AGENT_LINE);
            assertFramedAlike(line);
            String text = TerminalText.stripAnsi(line);
            if (LbEventExtractor.quotingLevel(text, text.indexOf("LB_EVENT {") + "LB_EVENT {".length()) != 1) {
                continue; // raw forms are read as before, and a payload quoted twice by the full reading
            }
            checked++;
            List<Extraction> framed = extractor.frame(line, compact);
            Extraction.Payload p = (Extraction.Payload) framed.get(framed.size() == 1 ? 0 : 1);
            assertEquals(payload, p.json(), form.name());
            assertNotNull(p.plainIdentity(), form.name());
            assertEquals(expected, p.plainIdentity().identity(), form.name());
        }
        assertEquals(4, checked, "the debug message (plain and coloured), -v's result, the YAML double-quoted scalar");
    }

    /** Seeded random edits of a quoted payload, with the escapes JSON and YAML spell: framed alike, every time. */
    @Test
    void randomEditsOfAQuotedPayloadAreFramedAlike() {
        String quoted = OutputForms.jsonString(AGENT_LINE);
        String[] pieces = {"\\\"", "\\", "\\\\", "\\u0041", "\\u00e9", "\\u00", "\\x41", "\\/", "\\n",
            "\\t", "\\e", "\\'", "\"", "{", "}", "[", ":", ",", " ", "1", "LB_EVENT {", "\\ud83d\\ude00"};
        SplittableRandom r = new SplittableRandom(20261207L);
        int plain = 0;
        for (int round = 0; round < 20_000; round++) {
            StringBuilder b = new StringBuilder(quoted);
            for (int edits = r.nextInt(3); edits > 0; edits--) {
                int at = 12 + r.nextInt(b.length() - 12);
                switch (r.nextInt(3)) {
                    case 0 -> b.insert(at, pieces[r.nextInt(pieces.length)]);
                    case 1 -> b.delete(at, Math.min(b.length(), at + 1 + r.nextInt(3)));
                    default -> b.replace(at, Math.min(b.length(), at + 1), pieces[r.nextInt(pieces.length)]);
                }
            }
            String line = "    \"msg\": " + b;
            assertFramedAlike(line);
            plain += assertDecoderAgrees(extractor.frame(line, compact), line);
        }
        assertTrue(plain > 1000, "quoted payloads read in one pass: " + plain);
    }

    /**
     * Issue 32: a loop item prints its payload raw in the header, then quoted in "msg". The quoted sighting of the
     * payload just read is the same payload (the same String, the same identity) after a comparison; spelled with
     * other escapes it still is, and with any edit it is read as before. Seeded random edits of the "msg" line after
     * a header read with the same CompactEvent: framed alike, and the decoder agrees with every identity, every time.
     */
    @Test
    void theQuotedSightingOfThePayloadJustReadIsTheSamePayload() {
        String header = "ok: [localhost] => (item=" + AGENT_LINE + ") => {";
        String quoted = OutputForms.jsonString(AGENT_LINE);
        Extraction.Payload raw = (Extraction.Payload) extractor.frame(header, compact).get(0);
        Extraction.Payload again = (Extraction.Payload) extractor.frame("    \"msg\": " + quoted, compact).get(0);
        assertSame(raw.json(), again.json(), "compared, not read again");
        assertSame(raw.plainIdentity(), again.plainIdentity());
        // The same text with escapes JSON allows but a writer seldom uses: \\u0077 for w, \\u00e9 for é.
        Extraction.Payload raw2 = (Extraction.Payload) extractor.frame(header, compact).get(0);
        String respelled = quoted.replace("\\\"w\\\"", "\\\"\\u0077\\\"").replace("caf\u00e9", "caf\\u00e9");
        assertEquals(quoted.length() + 10, respelled.length(), respelled);
        Extraction.Payload other = (Extraction.Payload) extractor.frame("    \"msg\": " + respelled, compact).get(0);
        assertSame(raw2.json(), other.json());
        String[] pieces = {"\\\"", "\\", "\\\\", "\\u0041", "\\u00e9", "\\u00", "\\u004", "\\x41", "\\/",
            "\\n", "\\t", "\\e", "\"", "{", "}", "[", ":", ",", " ", "1", "LB_EVENT {", "\\ud83d\\ude00"};
        SplittableRandom r = new SplittableRandom(20261207L + 1);
        int plain = 0;
        int same = 0;
        for (int round = 0; round < 20_000; round++) {
            StringBuilder b = new StringBuilder(quoted);
            for (int edits = r.nextInt(3); edits > 0 && b.length() > 13; edits--) {
                int at = 12 + r.nextInt(b.length() - 12);
                switch (r.nextInt(4)) {
                    case 0 -> b.insert(at, pieces[r.nextInt(pieces.length)]);
                    case 1 -> b.delete(at, Math.min(b.length(), at + 1 + r.nextInt(3)));
                    case 2 -> b.setLength(at); // cut: the line ends inside the payload
                    default -> b.replace(at, Math.min(b.length(), at + 1), pieces[r.nextInt(pieces.length)]);
                }
            }
            String line = "    \"msg\": " + b;
            Extraction.Payload first = (Extraction.Payload) extractor.frame(header, compact).get(0);
            List<Extraction> framed = extractor.frame(line, compact);
            assertEquals(described(extractor.frame(line)), described(framed), line);
            plain += assertDecoderAgrees(framed, line);
            if (!framed.isEmpty() && framed.get(0) instanceof Extraction.Payload p && p.json() == first.json()) {
                same++;
            }
        }
        assertTrue(same > 1000 && plain > same, "compared: " + same + ", read in one pass: " + plain);
    }

    /** Every payload read in one pass: the decoder accepts it with that identity, and it prints unchanged. */
    private static int assertDecoderAgrees(List<Extraction> framed, String line) {
        int plain = 0;
        for (Extraction x : framed) {
            if (x instanceof Extraction.Payload p && p.plainIdentity() != null) {
                plain++;
                try {
                    Event e = EventDecoder.decode(p.json());
                    assertEquals(e.identity(), p.plainIdentity().identity(), line);
                    assertEquals(p.json(), Json.line(e.payload()), line);
                } catch (InvalidEventException e) {
                    throw new AssertionError("read in one pass but rejected by the decoder: " + line, e);
                }
            }
        }
        return plain;
    }

    /** Payloads longer than the first copied window, and a -v result line holding thousands of them. */
    @Test
    void longPayloadsAndLinesOfManyPayloadsAreReadThroughGrowingWindows() throws Exception {
        String longLine = AGENT_LINE.replace("caf\u00e9", "x\\ny".repeat(3000) + " caf\u00e9");
        for (String line : new String[] {"    \"msg\": " + OutputForms.jsonString(longLine),
            "ok: [localhost] => (item=" + longLine + ") => {"}) {
            List<Extraction> framed = extractor.frame(line, compact);
            assertFramedAlike(line);
            assertEquals(1, assertDecoderAgrees(framed, line), "read in one pass");
        }
        List<String> lines = new ArrayList<>();
        for (int seq = 1; seq <= 3000; seq++) {
            lines.add(AGENT_LINE.replace("\"seq\":7", "\"seq\":" + seq));
        }
        String result = OutputForms.verboseResult(lines);
        assertTrue(result.length() > 1_000_000, "a line of megabytes: " + result.length());
        List<Extraction> framed = extractor.frame(result, compact);
        assertEquals(described(extractor.frame(result)), described(framed));
        assertEquals(6000, assertDecoderAgrees(framed, "the -v result"), "stdout and stdout_lines, each read in one pass");
    }

    @Test
    void aLineOverTheExtractorsLimitIsStillRejectedAsTooLong() {
        LbEventExtractor small = new LbEventExtractor(64);
        List<Extraction> framed = small.frame(AGENT_LINE, compact);
        assertEquals(1, framed.size());
        assertEquals(RejectReason.LINE_TOO_LONG, ((Extraction.Rejected) framed.get(0)).reason());
    }

    @Test
    void everyLineOfTheCorporaIsFramedAlike() throws Exception {
        int lines = 0;
        for (String capture : new String[] {"default.txt", "default-verbose.txt", "yaml.txt", "stream.log"}) {
            for (String line : Files.readAllLines(CorpusTest.corpus().resolve(capture), StandardCharsets.UTF_8)) {
                assertFramedAlike(line);
                lines++;
            }
        }
        assertTrue(lines > 50);
    }

    /** Seeded random edits of the agent's line (most keep the marker at the start): framed alike, every time. */
    @Test
    void randomEditsAreFramedAlike() {
        String[] pieces = {"\"", "\\", "{", "}", "[", ":", ",", " ", "\t", "1", "-", ".", "e", "'", "''", "\u001b[0m",
            "LB_EVENT ", "LB_EVENT {", "\\\"", "\u0085", "\u2028", "null"};
        SplittableRandom r = new SplittableRandom(20261201L);
        int plain = 0;
        for (int round = 0; round < 20_000; round++) {
            StringBuilder b = new StringBuilder(AGENT_LINE);
            for (int edits = r.nextInt(3); edits > 0; edits--) {
                int at = 9 + r.nextInt(b.length() - 8);
                switch (r.nextInt(3)) {
                    case 0 -> b.insert(at, pieces[r.nextInt(pieces.length)]);
                    case 1 -> b.delete(at, Math.min(b.length(), at + 1 + r.nextInt(3)));
                    default -> b.replace(at, Math.min(b.length(), at + 1), pieces[r.nextInt(pieces.length)]);
                }
            }
            String line = b.toString();
            assertFramedAlike(line);
            List<Extraction> framed = extractor.frame(line, compact);
            assertDecoderAgrees(framed, line);
            if (framed.size() == 1 && framed.get(0) instanceof Extraction.Payload p && p.plainIdentity() != null) {
                plain++;
            }
        }
        assertTrue(plain > 1000, "lines read in one pass: " + plain);
    }
}

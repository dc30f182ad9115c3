package dev.lb.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whatever CompactEvent recognizes, the full path agrees with: the decoder accepts it, its identity and the probe's
 * are the same, and the line Json.line prints is the payload's text. Whatever it cannot vouch for, it leaves to the
 * decoder.
 */
class CompactEventTest {
    private static final String AGENT_LINE = "{\"v\":1,\"run_id\":\"r-1\",\"host\":\"web-1\",\"workload\":\"cpu\","
            + "\"repetition\":1,\"total_repetitions\":2,\"status\":\"running\",\"type\":\"log\",\"level\":\"INFO\","
            + "\"src\":\"agent\",\"seq\":12,\"ts\":1796081527.105258,\"message\":\"line 11\",\"stream\":\"stdout\"}";

    private final CompactEvent compact = new CompactEvent();

    /** The full path's answer for a payload CompactEvent recognized; fails the test where they differ. */
    private static void assertTheFullPathAgrees(String json, IdentityProbe.Probe read) {
        EventIdentity identity = read.identity();
        Event event;
        try {
            event = EventDecoder.decode(json);
        } catch (InvalidEventException e) {
            fail("recognized a payload the decoder rejects (" + e.getMessage() + "): " + json);
            return;
        }
        assertEquals(event.identity(), identity, json);
        IdentityProbe.Probe probe = IdentityProbe.read(json);
        assertNotNull(probe, "the probe vouches for it too: " + json);
        assertEquals(probe, read, "the same fields as the probe reads: " + json);
        assertEquals(Json.line(event.payload()), json, "printed unchanged");
    }

    @Test
    void anAgentLineIsRecognizedWithTheDecodersIdentityAndPrintedAsItCame() {
        IdentityProbe.Probe identity = compact.identity(AGENT_LINE);
        assertNotNull(identity);
        assertTheFullPathAgrees(AGENT_LINE, identity);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":0,\"status\":\"done\",\"seq\":1}",
        "{\"v\":null,\"run_id\":null,\"host\":\"h\",\"workload\":\"w\",\"repetition\":3,\"status\":\"DONE\",\"src\":null,\"seq\":5}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"timeout\",\"level\":\"warn\",\"type\":\"Result\",\"seq\":1}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"failed\",\"seq\":1,\"message\":\"a \\\"quoted\\\" {brace} \\\\ \\n\\t\\r\\b\\f\"}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"ts\":-12.50,\"x\":-7,\"y\":true,\"z\":false,\"n\":null}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"message\":\"caf\u00e9 \u4e2d\u6587 \ufffd\"}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":2147483647,\"total_repetitions\":0,\"status\":\"running\",\"seq\":999999999999999999}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"error_type\":\"e\",\"error_context\":null}"})
    void plainFormsAreRecognized(String json) {
        IdentityProbe.Probe identity = compact.identity(json);
        assertNotNull(identity, json);
        assertTheFullPathAgrees(json, identity);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // the writer would print these differently
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"m\":\"a\\/b\"}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"m\":\"\\u0041\"}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"x\":-0}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"ts\":0.5}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"ts\":-0.0}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"ts\":1e3}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"ts\":1.5E3}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"x\":1234567890123456789}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"m\":\"\u007f\"}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"m\":\"\u0085\"}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"m\":\"\u2028\"}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"m\":\"\u202e\"}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"m\":\"\u061c\"}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"m\":\"\ufeff\"}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"m\":\"\ud83d\ude00\"}",
        "{\"host\": \"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1 }",
        // nested, or no seq: the identity or the line needs the tree
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"metrics\":[]}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"error_context\":{}}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\"}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":null}",
        // escapes in identity fields or keys
        "{\"host\":\"h\\\"\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1}",
        "{\"h\\u006fst\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1}",
        // the decoder rejects, converts or must explain these
        "{\"v\":2,\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1}",
        "{\"v\":1.0,\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":\"1\",\"status\":\"running\",\"seq\":1}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1.0,\"status\":\"running\",\"seq\":1}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":-1,\"status\":\"running\",\"seq\":1}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":2147483648,\"status\":\"running\",\"seq\":1}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":-1}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"bogus\",\"seq\":1}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"type\":\"bogus\",\"seq\":1}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"level\":\"loud\",\"seq\":1}",
        "{\"host\":\"\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1}",
        "{\"host\":7,\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"message\":5}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"ts\":\"5\"}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"error_context\":\"x\"}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"host\":\"g\"}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"m\":1,\"m\":2}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"m\":\"a\u0001b\"}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"x\":01}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1}{}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1",
        "{}",
        "[1]"})
    void formsTheDecoderMustJudgeAreLeftToIt(String json) {
        assertNull(compact.identity(json), json);
    }

    @Test
    void everyEventOfTheCorporaThatIsRecognizedIsReadAsTheDecoderReadsIt() throws Exception {
        LbEventExtractor extractor = new LbEventExtractor();
        int recognized = 0;
        for (String capture : new String[] {"default.txt", "default-verbose.txt", "yaml.txt", "stream.log"}) {
            for (String line : Files.readAllLines(CorpusTest.corpus().resolve(capture), StandardCharsets.UTF_8)) {
                for (Extraction x : extractor.frame(line)) {
                    if (x instanceof Extraction.Payload p) {
                        IdentityProbe.Probe identity = compact.identity(p.json());
                        if (identity != null) {
                            assertTheFullPathAgrees(p.json(), identity);
                            recognized++;
                        }
                    }
                }
            }
        }
        assertTrue(recognized > 10, "the agent's compact lines are recognized: " + recognized);
    }

    /**
     * Seeded random edits of compact payloads, with characters chosen to keep many of them valid JSON: every variant
     * recognized must be one the full path accepts with the same identity and prints unchanged.
     */
    @Test
    void randomEditsNeverMakeItVouchForWhatTheFullPathWouldNotAgreeWith() {
        String[] seeds = {AGENT_LINE,
            "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":0,\"status\":\"done\",\"seq\":1,\"ts\":10.5,\"n\":null,\"t\":true}",
            "{\"v\":1,\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"failed\",\"seq\":3,\"message\":\"a\\\"b\\\\c\\nd\"}"};
        String[] pieces = {"\"", "\\", "{", "}", "[", "]", ":", ",", " ", "0", "1", "-", ".", "e", "n", "t", "f",
            "null", "true", "\\u0041", "\\/", "\\n", "\u0085", "\u2028", "\u00e9", "\ud83d", "\u007f", "\u0001",
            "\"seq\":", "\"host\":", "\"v\":", "\"status\":", "\"repetition\":", "\"x\":", "DONE", "warn", "1.0", "0.5"};
        SplittableRandom r = new SplittableRandom(20261201L);
        int recognized = 0;
        int left = 0;
        for (int round = 0; round < 60_000; round++) {
            StringBuilder b = new StringBuilder(seeds[r.nextInt(seeds.length)]);
            for (int edits = 1 + r.nextInt(3); edits > 0; edits--) {
                int at = r.nextInt(b.length() + 1);
                switch (r.nextInt(3)) {
                    case 0 -> b.insert(at, pieces[r.nextInt(pieces.length)]);
                    case 1 -> b.delete(at, Math.min(b.length(), at + 1 + r.nextInt(3)));
                    default -> b.replace(at, Math.min(b.length(), at + 1), pieces[r.nextInt(pieces.length)]);
                }
            }
            String json = b.toString();
            IdentityProbe.Probe identity = compact.identity(json);
            if (identity == null) {
                left++;
            } else {
                assertTheFullPathAgrees(json, identity);
                recognized++;
            }
        }
        assertTrue(recognized > 1000 && left > 1000, "both outcomes reached: " + recognized + " / " + left);
    }
}

package dev.lb.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The probe's identity is the decoder's, or it says nothing: it never vouches for a payload it cannot read plainly. */
class IdentityProbeTest {
    private static final String BASE = "{\"v\":1,\"run_id\":\"r\",\"host\":\"h\",\"workload\":\"w\",\"repetition\":2,"
            + "\"status\":\"running\",\"src\":\"agent\",\"seq\":7,\"message\":\"a {\\\"seq\\\": 9} b\",\"ctx\":{\"seq\":3}}";

    @Test
    void theProbedIdentityIsTheDecodedEventsIdentity() throws Exception {
        IdentityProbe.Probe p = IdentityProbe.read(BASE);
        assertNotNull(p);
        assertEquals(EventDecoder.decode(BASE).identity(), p.identity());
        assertEquals(7, p.seq(), "the nested seq fields are skipped");
    }

    @Test
    void everyEventOfTheCorporaProbesToItsDecodedIdentity() throws Exception {
        LbEventExtractor extractor = new LbEventExtractor();
        int probed = 0;
        for (String capture : new String[] {"default.txt", "default-verbose.txt", "yaml.txt", "stream.log"}) {
            for (String line : Files.readAllLines(CorpusTest.corpus().resolve(capture), StandardCharsets.UTF_8)) {
                for (Extraction x : extractor.frame(line)) {
                    if (x instanceof Extraction.Payload payload) {
                        IdentityProbe.Probe p = IdentityProbe.read(payload.json());
                        assertNotNull(p, payload.json());
                        assertEquals(EventDecoder.decode(payload.json()).identity(), p.identity());
                        probed++;
                    }
                }
            }
        }
        assertTrue(probed > 10, "payloads probed: " + probed);
    }

    @Test
    void anAbsentRunIdOrSrcIsPartOfTheIdentityAsTheDecoderSeesIt() throws Exception {
        String json = "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":0,\"status\":\"done\",\"seq\":1,\"src\":null}";
        assertEquals(EventDecoder.decode(json).identity(), IdentityProbe.read(json).identity());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\"}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":\"1\",\"status\":\"running\",\"seq\":1}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1.0,\"status\":\"running\",\"seq\":1}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":-1}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":0}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":99999999999999999999}",
        "{\"host\":\"\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1}",
        "{\"host\":7,\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1}",
        "{\"host\":\"h\",\"host\":\"g\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"m\":1,\"m\":2}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1,\"m\":\"a\u0001b\"}",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1",
        "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1} {}",
        "[1]",
        "{\"src\":5,\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":1}"})
    void onlyAFullDecodeCanTell(String json) {
        assertNull(IdentityProbe.read(json), json);
    }
}

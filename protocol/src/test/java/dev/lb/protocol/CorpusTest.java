package dev.lb.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real captures in testdata/corpora/ansible-stdout: each yields exactly the emitted events, each once. */
class CorpusTest {
    static Path corpus() {
        return Path.of(System.getProperty("lb.testdata", "../testdata"), "corpora", "ansible-stdout");
    }

    @ParameterizedTest
    @ValueSource(strings = {"default.txt", "default-verbose.txt", "yaml.txt", "stream.log"})
    void captureYieldsExactlyTheEmittedEventsOnce(String capture) throws IOException {
        LbEventExtractor extractor = new LbEventExtractor();
        Map<EventIdentity, ObjectNode> distinct = new LinkedHashMap<>();
        List<Extraction.Rejected> rejected = new ArrayList<>();
        int sightings = 0;
        for (String line : Files.readAllLines(corpus().resolve(capture), StandardCharsets.UTF_8)) {
            for (Extraction x : extractor.extract(line)) {
                if (x instanceof Extraction.Found f) {
                    sightings++;
                    distinct.putIfAbsent(f.event().identity(), f.event().payload());
                } else {
                    rejected.add((Extraction.Rejected) x);
                }
            }
        }
        List<JsonNode> expected = new ArrayList<>();
        Json.MAPPER.readTree(corpus().resolve("events.json").toFile()).forEach(expected::add);

        assertEquals(List.of(), rejected, "no rejections in a clean capture");
        assertEquals(expected, new ArrayList<>(distinct.values()));
        assertTrue(sightings >= expected.size());
    }
}

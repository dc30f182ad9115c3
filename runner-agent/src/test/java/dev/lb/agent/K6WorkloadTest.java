package dev.lb.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.protocol.Event;
import dev.lb.protocol.EventLevel;
import dev.lb.protocol.EventStatus;
import dev.lb.protocol.EventType;
import dev.lb.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class K6WorkloadTest {
    @TempDir
    Path tmp;

    private List<Event> runK6(String directive, int expectedRc, String... more) throws Exception {
        Path k6 = FakeK6.install(tmp);
        Path script = tmp.resolve("api.js");
        Files.writeString(script, "// fake-k6: " + directive + "\nexport default function () {}\n");
        Path run = tmp.resolve("run");
        String[] base = {"--type", "k6", "--k6-binary", k6.toString(), "--k6-script", script.toString(),
            "--k6-config-id", "api-1"};
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run, args));
        assertEquals(expectedRc, rc, AgentProcess.output(run));
        List<Event> events = StreamFileReader.events(run.resolve("lb_events.stream.log"));
        StreamFileReader.assertSeqGapless(events);
        return events;
    }

    @Test
    void logStreamStartedLinesStoppedThenSummaryIncludingTheLastBurst() throws Exception {
        List<Event> events = runK6("lines=20 interval_ms=10 burst=40 exit=0", 0);
        List<Event> k6 = events.stream().filter(e -> "k6[api-1]".equals(e.src())).toList();
        assertEquals("k6[api-1] log stream started", k6.get(0).message());
        List<String> lines = StreamFileReader.messages(events, "k6-log");
        assertEquals(60, lines.size(), "20 paced lines and 40 written in the last moment before exit");
        for (int i = 0; i < 60; i++) {
            assertTrue(lines.get(i).contains(i < 20 ? "iteration " + (i + 1) + " done" : "final burst line " + (i + 1)),
                    lines.get(i));
        }
        assertEquals(EventLevel.WARNING, k6.stream().filter(e -> e.message().contains("iteration 7 done"))
                .findFirst().orElseThrow().level(), "logfmt level=warning becomes WARNING");
        Event stopped = k6.get(k6.size() - 2);
        assertEquals("k6[api-1] log stream stopped", stopped.message());
        Event summary = k6.get(k6.size() - 1);
        assertEquals(EventType.RESULT, summary.type(), "k6's summary export becomes the repetition's result");
        assertEquals("k6", summary.field("parser").asText());
        Map<String, Double> metrics = new java.util.HashMap<>();
        summary.field("metrics").forEach(m -> metrics.put(m.get("name").asText(), m.get("value").asDouble()));
        assertEquals(60, metrics.get("http_reqs.count"));
        assertEquals(25.3, metrics.get("http_req_duration.p95"));
        assertEquals(EventStatus.DONE, StreamFileReader.last(events).status());
        assertTrue(events.indexOf(summary) < events.size() - 1, "the summary comes before the final event");
    }

    @Test
    void sealCountsTheAgentsAndK6sEventsSeparately() throws Exception {
        List<Event> events = runK6("lines=5 interval_ms=1 burst=3 exit=0", 0);
        Event last = StreamFileReader.last(events);
        JsonNode seal = last.field("seal");
        assertEquals(StreamFileReader.sealOf(events), seal);
        assertEquals(List.of("agent", "k6[api-1]"), List.copyOf(fieldNames(seal)));
        // started, stdout lines of the fake k6, done; k6: log stream started, 8 lines, log stream stopped, summary
        assertEquals(11, seal.get("k6[api-1]").get("count").asLong());
        assertEquals(11, seal.get("k6[api-1]").get("last_seq").asLong());
        assertEquals(last.seq(), seal.get("agent").get("last_seq").asLong());
        assertEquals(events.stream().filter(e -> e.src().equals("agent")).count(), seal.get("agent").get("count").asLong());
        assertEquals(seal, Json.MAPPER.readTree(tmp.resolve("run").resolve("status.json").toFile()).get("seal"));
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void thresholdFailureIsFailedWithK6sMeaning() throws Exception {
        List<Event> events = runK6("lines=3 interval_ms=1 burst=0 exit=99", 1);
        Event last = StreamFileReader.last(events);
        assertEquals(EventStatus.FAILED, last.status());
        assertEquals("k6_thresholds_failed", last.errorType());
        assertEquals(99, last.field("error_context").get("rc").asInt());
        assertTrue(StreamFileReader.messages(events, "k6-log").stream().anyMatch(l -> l.contains("level=error")));
    }

    @Test
    void missingK6BinaryIsAClearFailure() throws Exception {
        Path script = Files.writeString(tmp.resolve("a.js"), "export default function () {}\n");
        Path run = tmp.resolve("run");
        int rc = AgentProcess.run(run, List.of("PATH=/nonexistent"), AgentProcess.runArgs(run, "--type", "k6",
                "--k6-script", script.toString()));
        assertEquals(1, rc);
        Event last = StreamFileReader.last(StreamFileReader.events(run.resolve("lb_events.stream.log")));
        assertEquals(EventStatus.FAILED, last.status());
        assertEquals("binary_not_found", last.errorType());
        assertTrue(last.message().contains("cannot run 'k6'"), last.message());
    }
}

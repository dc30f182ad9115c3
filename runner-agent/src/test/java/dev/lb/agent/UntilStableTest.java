package dev.lb.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.protocol.Event;
import dev.lb.protocol.EventLevel;
import dev.lb.protocol.EventStatus;
import dev.lb.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adaptive repetitions on the target: each repetition is its own agent process; the ones that ended done leave the
 * rule's metric behind, and a repetition whose predecessors are stable runs nothing and ends skipped, saying why.
 */
class UntilStableTest {
    private static final String RULE = "{\"min\": 3, \"until_cv\": 0.05, \"metric\": \"ops\"}";
    private static final String RESULTS = "[{\"name\":\"ops\",\"unit\":\"ops/s\",\"regex\":\"ops ([0-9.]+)\"}]";

    @TempDir
    Path tmp;

    private Path run() throws Exception {
        return Files.createDirectories(tmp.resolve("run"));
    }

    /** One repetition printing "ops VALUE" (and touching a marker, so that a workload that ran is seen). */
    private int repetition(int n, String rule, String results, String script) throws Exception {
        List<String> a = new ArrayList<>(List.of("run", "--run-dir", run().toString(), "--host", "web-1",
                "--run-id", "r1", "--workload", "wl", "--repetition", String.valueOf(n), "--total-repetitions", "10",
                "--metrics-interval", "0", "--cwd", tmp.toString()));
        if (rule != null) {
            a.addAll(List.of("--until-stable", rule));
        }
        if (results != null) {
            a.addAll(List.of("--results", results));
        }
        a.addAll(List.of("--", "sh", "-c", "touch ran-" + n + "; " + script));
        return AgentProcess.run(run(), List.of(), a.toArray(String[]::new));
    }

    private List<Event> events(int repetition) throws Exception {
        return StreamFileReader.events(tmp.resolve("run/lb_events.stream.log")).stream()
                .filter(e -> e.repetition() == repetition).toList();
    }

    private static Event last(List<Event> events) {
        return events.get(events.size() - 1);
    }

    @Test
    void repetitionsRunUntilTheMetricIsStableAndTheRestAreSkippedSayingWhy() throws Exception {
        double[] values = {100, 101, 99};
        for (int i = 0; i < values.length; i++) {
            assertEquals(0, repetition(i + 1, RULE, RESULTS, "echo ops " + values[i]), AgentProcess.output(run()));
            Event end = last(events(i + 1));
            assertEquals(EventStatus.DONE, end.status());
            assertEquals(i + 1, end.field("stability").path("n").asInt(), "each done repetition counts");
            assertEquals(i == 2, end.field("stability").path("stable").asBoolean(), end.toString());
        }
        assertEquals(0.01, last(events(3)).field("stability").path("cv").asDouble(), 1e-12);

        assertEquals(0, repetition(4, RULE, RESULTS, "echo ops 1"), "skipped is not a failure");
        List<Event> fourth = events(4);
        assertEquals(1, fourth.size(), "a skipped repetition is its final event alone: " + fourth);
        Event skipped = fourth.get(0);
        assertEquals(EventStatus.SKIPPED, skipped.status());
        assertEquals("skipped (stable after 3 repetitions: cv of ops 0.01 <= 0.05 over 3 repetitions)",
                skipped.message());
        assertEquals(1, skipped.field("seal").path("agent").path("count").asLong(-1), skipped.toString());
        assertTrue(skipped.field("stability").path("stable").asBoolean());
        assertFalse(Files.exists(tmp.resolve("ran-4")), "nothing ran");
        JsonNode status = Json.MAPPER.readTree(tmp.resolve("run/status.json").toFile());
        assertEquals("skipped", status.path("status").asText());
        assertEquals(0, repetition(5, RULE, RESULTS, "echo ops 1"));
        assertEquals(EventStatus.SKIPPED, last(events(5)).status(), "and so is every one after it");
    }

    @Test
    void spreadValuesKeepTheRepetitionsRunning() throws Exception {
        double[] values = {100, 200, 50, 150};
        for (int i = 0; i < values.length; i++) {
            assertEquals(0, repetition(i + 1, RULE, RESULTS, "echo ops " + values[i]));
            assertEquals(EventStatus.DONE, last(events(i + 1)).status());
        }
        assertTrue(Files.exists(tmp.resolve("ran-4")));
        String why = last(events(4)).field("stability").path("explanation").asText();
        assertTrue(why.startsWith("cv of ops 0.") && why.contains(" > 0.05 over 4 repetitions"), why);
    }

    @Test
    void aFailedRepetitionsValueNeverCounts() throws Exception {
        assertEquals(0, repetition(1, RULE, RESULTS, "echo ops 100"));
        assertEquals(1, repetition(2, RULE, RESULTS, "echo ops 100; exit 1"));
        assertEquals(0, repetition(3, RULE, RESULTS, "echo ops 100"));
        assertEquals(2, last(events(3)).field("stability").path("n").asInt(), "two done repetitions");
        assertEquals(0, repetition(4, RULE, RESULTS, "echo ops 100"));
        assertEquals(EventStatus.DONE, last(events(4)).status(), "min 3 values: rep 4 still runs");
        assertEquals(0, repetition(5, RULE, RESULTS, "echo ops 100"));
        assertEquals(EventStatus.SKIPPED, last(events(5)).status());
    }

    @Test
    void aMetricTheResultLacksIsSaidWithTheNamesItHasAndNothingIsSkipped() throws Exception {
        String rule = "{\"min\": 2, \"until_cv\": 0.5, \"metric\": \"opps\"}";
        for (int i = 1; i <= 3; i++) {
            assertEquals(0, repetition(i, rule, RESULTS, "echo ops 100"));
            List<Event> events = events(i);
            assertEquals(EventStatus.DONE, last(events).status());
            List<Event> warnings = events.stream().filter(e -> e.level() == EventLevel.WARNING).toList();
            assertEquals(1, warnings.size(), events.toString());
            assertTrue(warnings.get(0).message().contains("no metric 'opps' (it has ops, wall_time)"), warnings.get(0).message());
            JsonNode verdict = last(events).field("stability");
            assertEquals("the result has no metric 'opps'", verdict.path("explanation").asText(), verdict.toString());
            assertFalse(verdict.path("stable").asBoolean());
            assertEquals(0, verdict.path("n").asInt());
        }
    }

    @Test
    void aDamagedHistoryLineIsSaidAndNotCounted() throws Exception {
        Files.writeString(run().resolve("stability-wl.jsonl"), "{\"repetition\":1,\"value\":100}\n{\"repet\n"
                + "{\"repetition\":2,\"value\":100}\n");
        assertEquals(0, repetition(3, RULE, RESULTS, "echo ops 100"));
        List<Event> events = events(3);
        assertEquals(EventStatus.DONE, last(events).status(), "two readable values and min 3: it runs");
        assertTrue(events.stream().anyMatch(e -> e.level() == EventLevel.WARNING
                && e.message().contains("stability-wl.jsonl:2: unreadable")), events.toString());
        assertEquals(3, last(events).field("stability").path("n").asInt());
    }

    @Test
    void aCommandWithoutDeclaredResultsBecomesStableOnItsWallTime() throws Exception {
        String rule = "{\"min\": 2, \"until_cv\": 0.5, \"metric\": \"wall_time\"}";
        assertEquals(0, repetition(1, rule, null, "sleep 0.2"), AgentProcess.output(run()));
        assertEquals(0, repetition(2, rule, null, "sleep 0.2"), AgentProcess.output(run()));
        JsonNode verdict = last(events(2)).field("stability");
        assertEquals(2, verdict.path("n").asInt(), verdict.toString());
        assertTrue(verdict.path("stable").asBoolean(), "two sleeps of 0.2 s differ by far less than 50 %: " + verdict);
    }

    @Test
    void aRuleWithAnInvalidMinimumIsInvalidInput() throws Exception {
        assertEquals(2, repetition(1, "{\"min\": 1, \"until_cv\": 0.05, \"metric\": \"ops\"}", RESULTS, "true"));
        assertTrue(AgentProcess.output(run()).contains("min must be at least 2"), AgentProcess.output(run()));
        assertFalse(Files.exists(tmp.resolve("ran-1")));
    }
}

package dev.lb.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.protocol.Event;
import dev.lb.protocol.EventStatus;
import dev.lb.protocol.EventType;
import dev.lb.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --before-repetition and --after-repetition: commands run around the workload, inside the repetition (its events,
 * its seal, its outcome).
 */
class RepetitionHooksTest {
    @TempDir
    Path tmp;

    private static String json(String... argv) throws Exception {
        return Json.MAPPER.writeValueAsString(List.of(argv));
    }

    private List<Event> events(Path run) throws Exception {
        List<Event> events = StreamFileReader.events(run.resolve("lb_events.stream.log"));
        StreamFileReader.assertSeqGapless(events);
        assertEquals(StreamFileReader.sealOf(events), StreamFileReader.last(events).field("seal"));
        return events;
    }

    /** The stream of each output line, in file order: before, stdout, stderr, after. */
    private static List<String> lineStreams(List<Event> events) {
        List<String> streams = new ArrayList<>();
        for (Event e : events) {
            JsonNode s = e.field("stream");
            if (s != null && !s.asText().equals("agent-log")) {
                streams.add(s.asText());
            }
        }
        return streams;
    }

    private static int indexOf(List<Event> events, String messageStart) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).message() != null && events.get(i).message().startsWith(messageStart)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void hookLinesAreEventsOfTheirStreamInOrderBeforeWorkloadAfter() throws Exception {
        Path run = tmp.resolve("run");
        Path wd = Files.createDirectories(tmp.resolve("wd"));
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run, "--cwd", wd.toString(),
                "--env", "GREETING=hello",
                "--before-repetition", json("sh", "-c", "echo \"before $GREETING in $(pwd)\"; echo 'before err' >&2"),
                "--after-repetition", json("sh", "-c", "sleep 0.3; echo \"after $GREETING\""),
                "--", "echo", "work"));
        assertEquals(0, rc, AgentProcess.output(run));
        List<Event> events = events(run);
        assertEquals(List.of("before", "before", "stdout", "after"), lineStreams(events));
        assertEquals(List.of("before hello in " + wd, "before err").stream().sorted().toList(),
                StreamFileReader.messages(events, "before").stream().sorted().toList());
        assertEquals(List.of("work"), StreamFileReader.messages(events, "stdout"));
        assertEquals(List.of("after hello"), StreamFileReader.messages(events, "after"));

        int beforeStarted = indexOf(events, "before_repetition started: sh -c ");
        int beforeDone = indexOf(events, "before_repetition done: rc=0 after ");
        int workload = indexOf(events, "started: echo work");
        int afterStarted = indexOf(events, "after_repetition started: sh -c ");
        int afterDone = indexOf(events, "after_repetition done: rc=0 after ");
        assertTrue(0 <= beforeStarted && beforeStarted < beforeDone && beforeDone < workload
                && workload < afterStarted && afterStarted < afterDone, events.toString());
        assertEquals("before_repetition", events.get(beforeStarted).field("hook").asText());
        assertEquals(List.of("sh", "-c", "sleep 0.3; echo \"after $GREETING\""),
                Json.MAPPER.convertValue(events.get(afterStarted).field("command"), List.class));
        assertEquals(0, events.get(afterDone).field("rc").asInt());
        assertEquals(EventType.RESULT, events.get(afterDone + 1).type(), "the timed result follows the after-hook");
        assertEquals(events.size() - 1, afterDone + 2, "and the final event follows the result");
        Event last = StreamFileReader.last(events);
        assertEquals(EventStatus.DONE, last.status());
        assertEquals(0, last.field("rc").asInt());
        assertTrue(last.field("duration_s").asDouble() >= 0.3, "the hooks count in the repetition's duration: "
                + last.field("duration_s"));
        assertEquals(1 + 2 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1, events.size(), "before started, 2 lines, before done,"
                + " started, 1 line, after started, 1 line, after done, the result, done");
    }

    @Test
    void failingBeforeHookFailsTheRepetitionStartsNoWorkloadAndStillRunsTheAfterHook() throws Exception {
        Path run = tmp.resolve("run");
        Path marker = tmp.resolve("workload-ran");
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run,
                "--before-repetition", json("sh", "-c", "echo 'governor: permission denied' >&2; exit 3"),
                "--after-repetition", json("echo", "cleaned up"),
                "--", "touch", marker.toString()));
        assertEquals(1, rc, AgentProcess.output(run));
        assertTrue(Files.notExists(marker), "the workload did not start");
        List<Event> events = events(run);
        assertEquals(-1, indexOf(events, "started: touch"));
        assertEquals(List.of("cleaned up"), StreamFileReader.messages(events, "after"));
        Event last = StreamFileReader.last(events);
        assertEquals(EventStatus.FAILED, last.status());
        assertEquals("before_repetition_failed", last.errorType());
        assertTrue(last.message().startsWith("before_repetition [\"sh\",\"-c\",\"echo 'governor: permission denied'"
                + " >&2; exit 3\"] exited with rc 3 after "), last.message());
        JsonNode hook = last.field("error_context").get("before_repetition");
        assertEquals(3, hook.get("rc").asInt());
        assertEquals("governor: permission denied", hook.get("stderr_tail").get(0).asText());
        assertEquals("sh", hook.get("command").get(0).asText());
        assertTrue(last.field("rc") == null, "no workload, no rc");
        JsonNode status = Json.MAPPER.readTree(run.resolve("status.json").toFile());
        assertEquals("failed", status.get("status").asText());
        assertEquals("before_repetition_failed", status.get("error_type").asText());
        assertTrue(status.get("reason").asText().contains("exited with rc 3"), status.toString());
    }

    @Test
    void beforeHookThatCannotStartFailsAndNothingElseRuns() throws Exception {
        Path run = tmp.resolve("run");
        Path marker = tmp.resolve("workload-ran");
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run,
                "--before-repetition", json("no-such-hook-lb", "x"),
                "--after-repetition", json("echo", "cleaned up"),
                "--", "touch", marker.toString()));
        assertEquals(1, rc, AgentProcess.output(run));
        assertTrue(Files.notExists(marker));
        List<Event> events = events(run);
        assertEquals(List.of(), StreamFileReader.messages(events, "after"), "the before-hook never ran");
        Event last = StreamFileReader.last(events);
        assertEquals("before_repetition_failed", last.errorType());
        assertTrue(last.message().startsWith("before_repetition [\"no-such-hook-lb\",\"x\"] cannot start:"
                + " 'no-such-hook-lb' not found or not executable"), last.message());
        assertTrue(last.field("error_context").get("before_repetition").get("rc").isNull());
    }

    @Test
    void failingAfterHookFailsARepetitionThatWouldBeDone() throws Exception {
        Path run = tmp.resolve("run");
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run,
                "--after-repetition", json("sh", "-c", "echo 'rm: busy' >&2; exit 4"), "--", "echo", "work"));
        assertEquals(1, rc, AgentProcess.output(run));
        Event last = StreamFileReader.last(events(run));
        assertEquals(EventStatus.FAILED, last.status());
        assertEquals("after_repetition_failed", last.errorType());
        assertTrue(last.message().startsWith("after_repetition [\"sh\",\"-c\",\"echo 'rm: busy' >&2; exit 4\"]"
                + " exited with rc 4 after "), last.message());
        assertEquals(0, last.field("rc").asInt(), "the workload's own rc");
        assertEquals(4, last.field("error_context").get("after_repetition").get("rc").asInt());
        assertEquals("rm: busy", last.field("error_context").get("after_repetition").get("stderr_tail").get(0).asText());
    }

    @Test
    void failingAfterHookAddsToAnEarlierFailureWithoutReplacingIt() throws Exception {
        Path run = tmp.resolve("run");
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run,
                "--after-repetition", json("false"), "--", "sh", "-c", "exit 7"));
        assertEquals(1, rc, AgentProcess.output(run));
        Event last = StreamFileReader.last(events(run));
        assertEquals("nonzero_exit", last.errorType());
        assertEquals(7, last.field("rc").asInt());
        assertTrue(last.message().startsWith("exit code 7; after_repetition [\"false\"] exited with rc 1 after "),
                last.message());
        assertEquals(7, last.field("error_context").get("rc").asInt());
        assertEquals(1, last.field("error_context").get("after_repetition").get("rc").asInt());
    }

    @Test
    void afterHookRunsAfterAStoppedWorkload() throws Exception {
        Path run = tmp.resolve("run");
        Path cleaned = tmp.resolve("cleaned");
        String marker = "lbmark-" + UUID.randomUUID();
        Process agent = AgentProcess.start(run, List.of(), AgentProcess.runArgs(run, "--grace", "1",
                "--after-repetition", json("sh", "-c", "echo cleaning; touch " + cleaned),
                "--", "sh", "-c", "echo working; sleep 600", marker));
        awaitLine(run.resolve("lb_events.stream.log"), "\"message\":\"working\"");
        Files.writeString(run.resolve("STOP"), "");
        assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
        assertEquals(3, agent.exitValue(), AgentProcess.output(run));
        assertTrue(Files.exists(cleaned), "the after-hook ran");
        List<Event> events = events(run);
        assertEquals(List.of("cleaning"), StreamFileReader.messages(events, "after"));
        Event last = StreamFileReader.last(events);
        assertEquals(EventStatus.STOPPED, last.status());
        assertTrue(indexOf(events, "after_repetition done: rc=0") > indexOf(events, "working"));
        assertEquals(List.of(), Processes.withMarker(marker));
    }

    @Test
    void beforeHookStillRunningAtTheTimeoutIsStoppedAndFailsTheRepetition() throws Exception {
        Path run = tmp.resolve("run");
        Path marker = tmp.resolve("workload-ran");
        String processMarker = "lbmark-" + UUID.randomUUID();
        long t0 = System.nanoTime();
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run, "--timeout", "1", "--grace", "0.5",
                "--before-repetition", json("sh", "-c", "echo warming; sleep 600", processMarker),
                "--", "touch", marker.toString()));
        assertEquals(1, rc, AgentProcess.output(run));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(20), "stopped at the time-out, not at its end");
        assertTrue(Files.notExists(marker));
        assertEquals(List.of(), Processes.withMarker(processMarker), "the hook's process tree is gone");
        assertTrue(Files.notExists(run.resolve("workload.pgid")), "its group is gone, so is its record");
        Event last = StreamFileReader.last(events(run));
        assertEquals(EventStatus.FAILED, last.status());
        assertEquals("before_repetition_failed", last.errorType());
        assertTrue(last.message().contains("] was still running when the repetition was timed out (workload time"
                + " limit of 1 s reached after "), last.message());
    }

    @Test
    void afterHookStillRunningAtAStopFileFailsTheRepetition() throws Exception {
        Path run = tmp.resolve("run");
        String marker = "lbmark-" + UUID.randomUUID();
        Process agent = AgentProcess.start(run, List.of(), AgentProcess.runArgs(run, "--grace", "0.5",
                "--after-repetition", json("sh", "-c", "echo slow cleanup; sleep 600", marker),
                "--", "echo", "work"));
        awaitLine(run.resolve("lb_events.stream.log"), "\"message\":\"slow cleanup\"");
        Files.writeString(run.resolve("STOP"), "");
        assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, agent.exitValue(), AgentProcess.output(run));
        Event last = StreamFileReader.last(events(run));
        assertEquals(EventStatus.FAILED, last.status());
        assertEquals("after_repetition_failed", last.errorType());
        assertTrue(last.message().contains("was still running when the repetition was stopped (STOP file"),
                last.message());
        assertEquals(List.of(), Processes.withMarker(marker));
        assertFalse(Files.exists(run.resolve("workload.pgid")));
    }

    private static void awaitLine(Path stream, String text) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(stream) && Files.readString(stream).contains(text)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no '" + text + "' in " + stream);
    }
}

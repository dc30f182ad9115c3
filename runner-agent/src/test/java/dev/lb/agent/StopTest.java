package dev.lb.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STOP file, SIGTERM and time-out each stop the whole tree and write the status file: a plain STOP and SIGTERM end
 * as 'stopped', the workload's --timeout and a STOP file asking for a repetition time-out as 'timeout'.
 */
class StopTest {
    @TempDir
    Path tmp;

    /** A parent, a child that ignores TERM, and a background grandchild; all carry the marker. */
    private static String[] stubbornTree(String marker) {
        return new String[] {"--", "sh", "-c", "echo started;"
                + " python3 -c 'import signal,time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)' \"$0\" &"
                + " python3 -c 'import time; time.sleep(600)' \"$0\" & wait", marker};
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

    private Event assertEnded(Path run, String marker, EventStatus status, String reasonPart) throws Exception {
        List<Event> events = StreamFileReader.events(run.resolve("lb_events.stream.log"));
        StreamFileReader.assertSeqGapless(events);
        Event last = StreamFileReader.last(events);
        assertEquals(status, last.status(), last.payloadJson());
        assertTrue(last.message().contains(reasonPart), last.message());
        assertEquals(StreamFileReader.sealOf(events), last.field("seal"));
        JsonNode statusFile = Json.MAPPER.readTree(run.resolve("status.json").toFile());
        assertEquals(status.wireName(), statusFile.get("status").asText());
        assertEquals(last.field("seal"), statusFile.get("seal"));
        assertEquals(List.of(), Processes.withMarker(marker), "no process of the workload is left");
        assertTrue(Files.notExists(run.resolve("workload.pgid")), "the group is gone, so is its record");
        return last;
    }

    private void assertStopped(Path run, String marker, String reasonPart) throws Exception {
        Event last = assertEnded(run, marker, EventStatus.STOPPED, reasonPart);
        assertNull(last.errorType());
    }

    @Test
    void stopFileStopsTheWholeTree() throws Exception {
        String marker = "lbmark-" + UUID.randomUUID();
        Path run = tmp.resolve("run");
        Process agent = AgentProcess.start(run, List.of(), AgentProcess.runArgs(run,
                concat(new String[] {"--grace", "1"}, stubbornTree(marker))));
        awaitLine(run.resolve("lb_events.stream.log"), "\"message\":\"started\"");
        Files.writeString(run.resolve("STOP"), "");
        assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
        assertEquals(3, agent.exitValue(), AgentProcess.output(run));
        assertStopped(run, marker, "STOP file");
        List<Event> events = StreamFileReader.events(run.resolve("lb_events.stream.log"));
        assertTrue(events.stream().anyMatch(e -> e.message() != null && e.message().contains("ignored TERM")),
                "the agent's own warning about the KILL escalation is an event too");
    }

    @Test
    void sigtermStopsTheWholeTree() throws Exception {
        String marker = "lbmark-" + UUID.randomUUID();
        Path run = tmp.resolve("run");
        Process agent = AgentProcess.start(run, List.of(), AgentProcess.runArgs(run,
                concat(new String[] {"--grace", "1"}, stubbornTree(marker))));
        awaitLine(run.resolve("lb_events.stream.log"), "\"message\":\"started\"");
        agent.destroy(); // SIGTERM
        assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
        assertStopped(run, marker, "SIGTERM");
    }

    @Test
    void workloadTimeoutStopsTheWholeTreeAndEndsAsTimeout() throws Exception {
        String marker = "lbmark-" + UUID.randomUUID();
        Path run = tmp.resolve("run");
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run,
                concat(new String[] {"--timeout", "1", "--grace", "0.5"}, stubbornTree(marker))));
        assertEquals(4, rc, AgentProcess.output(run));
        Event last = assertEnded(run, marker, EventStatus.TIMEOUT, "workload time limit of 1 s reached after ");
        assertEquals(EventLevel.ERROR, last.level());
        assertEquals("workload_timeout", last.errorType());
        JsonNode ctx = last.field("error_context");
        assertEquals(List.of("limit_s", "elapsed_s"), fieldNames(ctx));
        assertEquals(1, ctx.get("limit_s").asDouble());
        double elapsed = ctx.get("elapsed_s").asDouble();
        assertTrue(elapsed >= 1 && elapsed < 10, "elapsed_s " + elapsed);
        JsonNode status = Json.MAPPER.readTree(run.resolve("status.json").toFile());
        assertEquals("workload_timeout", status.get("error_type").asText());
        assertEquals(ctx, status.get("error_context"));
    }

    @Test
    void stopFileAskingForARepetitionTimeoutEndsAsTimeoutWithItsFigures() throws Exception {
        String marker = "lbmark-" + UUID.randomUUID();
        Path run = tmp.resolve("run");
        Process agent = AgentProcess.start(run, List.of(), AgentProcess.runArgs(run,
                concat(new String[] {"--grace", "0.5"}, stubbornTree(marker))));
        awaitLine(run.resolve("lb_events.stream.log"), "\"message\":\"started\"");
        Files.writeString(run.resolve("STOP"),
                "{\"reason\": \"repetition_timeout\", \"limit_s\": 60, \"elapsed_s\": 61.2, \"attempt\": \"a1\"}");
        assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
        assertEquals(4, agent.exitValue(), AgentProcess.output(run));
        Event last = assertEnded(run, marker, EventStatus.TIMEOUT, "repetition time limit of 60 s reached, 61.2 s elapsed");
        assertEquals(EventLevel.ERROR, last.level());
        assertEquals("repetition_timeout", last.errorType());
        assertEquals(Json.MAPPER.readTree("{\"reason\":\"repetition_timeout\",\"limit_s\":60,\"elapsed_s\":61.2,"
                + "\"attempt\":\"a1\"}"), last.field("error_context"));
        assertEquals("repetition_timeout", Json.MAPPER.readTree(run.resolve("status.json").toFile())
                .get("error_type").asText());
    }

    @Test
    void eventLoggingCanBeSwitchedOff() throws Exception {
        String marker = "lbmark-" + UUID.randomUUID();
        Path run = tmp.resolve("run");
        int rc = AgentProcess.run(run, List.of("LB_ENABLE_EVENT_LOGGING=no"), AgentProcess.runArgs(run,
                concat(new String[] {"--timeout", "0.5", "--grace", "0.2"}, stubbornTree(marker))));
        assertEquals(4, rc);
        List<Event> events = StreamFileReader.events(run.resolve("lb_events.stream.log"));
        assertEquals(List.of(), StreamFileReader.messages(events, "agent-log"));
        assertTrue(AgentProcess.output(run).contains("ignored TERM"), "still in the agent's own log");
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

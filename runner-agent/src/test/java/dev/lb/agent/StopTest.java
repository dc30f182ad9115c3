package dev.lb.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.protocol.Event;
import dev.lb.protocol.EventStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STOP file, SIGTERM and time-out each stop the whole tree, emit 'stopped' and write the status file. */
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

    private void assertStopped(Path run, String marker, String reasonPart) throws Exception {
        List<Event> events = StreamFileReader.events(run.resolve("lb_events.stream.log"));
        StreamFileReader.assertSeqGapless(events);
        Event last = StreamFileReader.last(events);
        assertEquals(EventStatus.STOPPED, last.status(), last.payloadJson());
        assertTrue(last.message().contains(reasonPart), last.message());
        assertTrue(Files.readString(run.resolve("status.json")).contains("\"status\":\"stopped\""));
        assertEquals(List.of(), Processes.withMarker(marker), "no process of the workload is left");
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
    void timeoutStopsTheWholeTree() throws Exception {
        String marker = "lbmark-" + UUID.randomUUID();
        Path run = tmp.resolve("run");
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run,
                concat(new String[] {"--timeout", "1", "--grace", "0.5"}, stubbornTree(marker))));
        assertEquals(3, rc, AgentProcess.output(run));
        assertStopped(run, marker, "time-out after 1 s");
    }

    @Test
    void eventLoggingCanBeSwitchedOff() throws Exception {
        String marker = "lbmark-" + UUID.randomUUID();
        Path run = tmp.resolve("run");
        int rc = AgentProcess.run(run, List.of("LB_ENABLE_EVENT_LOGGING=no"), AgentProcess.runArgs(run,
                concat(new String[] {"--timeout", "0.5", "--grace", "0.2"}, stubbornTree(marker))));
        assertEquals(3, rc);
        List<Event> events = StreamFileReader.events(run.resolve("lb_events.stream.log"));
        assertEquals(List.of(), StreamFileReader.messages(events, "agent-log"));
        assertTrue(AgentProcess.output(run).contains("ignored TERM"), "still in the agent's own log");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

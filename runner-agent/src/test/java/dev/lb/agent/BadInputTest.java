package dev.lb.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.protocol.Event;
import dev.lb.protocol.EventStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: one clear line, a failed event when the stream file is writable, a non-zero exit. */
class BadInputTest {
    @TempDir
    Path tmp;

    private Event onlyEvent(Path run) throws Exception {
        List<Event> events = StreamFileReader.events(run.resolve("lb_events.stream.log"));
        assertEquals(1, events.size(), events.toString());
        Event e = events.get(0);
        assertEquals(EventStatus.FAILED, e.status());
        return e;
    }

    @Test
    void unknownWorkloadType() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run, "--type", "fortran", "--", "true"));
        assertEquals(2, rc);
        assertTrue(AgentProcess.output(run).contains("lb-agent: type: unknown workload type 'fortran'"), AgentProcess.output(run));
        Event e = onlyEvent(run);
        assertEquals("invalid_input", e.errorType());
        assertTrue(Files.readString(run.resolve("status.json")).contains("\"error_type\":\"invalid_input\""));
    }

    @Test
    void unparsableArgumentStillReportsWhenTheRunDirIsKnown() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run, "--timeout", "soon", "--", "true"));
        assertEquals(2, rc);
        assertTrue(AgentProcess.output(run).contains("'soon'"), AgentProcess.output(run));
        assertEquals("invalid_input", onlyEvent(run).errorType());
    }

    @Test
    void eventLimitBelowTheMinimum() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run, "--max-event-bytes", "4095", "--", "true"));
        assertEquals(2, rc);
        assertTrue(AgentProcess.output(run).contains("--max-event-bytes must be at least 4096, was 4095"),
                AgentProcess.output(run));
        Event e = onlyEvent(run);
        assertEquals("invalid_input", e.errorType());
        assertEquals(1, e.field("seal").get("agent").get("count").asLong(), "a final event, sealed like any other");
    }

    @Test
    void missingBinary() throws Exception {
        Path run = tmp.resolve("run");
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run, "--", "no-such-binary-lb", "x"));
        assertEquals(1, rc);
        assertEquals("binary_not_found", onlyEvent(run).errorType());
    }

    @Test
    void unreadableK6Script() throws Exception {
        Path k6 = FakeK6.install(tmp);
        Path run = tmp.resolve("run");
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run, "--type", "k6", "--k6-binary",
                k6.toString(), "--k6-script", tmp.resolve("missing.js").toString()));
        assertEquals(1, rc);
        assertEquals("script_unreadable", onlyEvent(run).errorType());
    }

    @Test
    void hookGivenAsAShellStringInsteadOfAJsonArray() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run, "--before-repetition", "sync; echo 3",
                "--", "true"));
        assertEquals(2, rc);
        assertTrue(AgentProcess.output(run).contains("lb-agent: --before-repetition: not JSON ("),
                AgentProcess.output(run));
        assertEquals("invalid_input", onlyEvent(run).errorType());
    }

    @Test
    void hookThatIsAnEmptyArrayOrHoldsANonString() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run, "--after-repetition", "[]", "--", "true"));
        assertEquals(2, rc);
        assertTrue(onlyEvent(run).message().contains("--after-repetition: expected a non-empty JSON array of strings"
                + " (the command's argv), got []"));
        Path run2 = Files.createDirectories(tmp.resolve("run2"));
        rc = AgentProcess.run(run2, List.of(), AgentProcess.runArgs(run2, "--after-repetition", "[\"rm\", 3]",
                "--", "true"));
        assertEquals(2, rc);
        assertTrue(onlyEvent(run2).message().contains("--after-repetition: every argv element must be a string,"
                + " got 3"));
    }

    @Test
    void commandMissing() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run));
        assertEquals(2, rc);
        assertTrue(onlyEvent(run).message().contains("a command workload needs a non-empty argv"));
    }

    @Test
    void runDirectoryThatCannotBeCreated() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "");
        Path run = file.resolve("run");
        int rc = AgentProcess.run(tmp.resolve("x"), List.of(), AgentProcess.runArgs(run, "--", "true"));
        assertEquals(2, rc);
        String out = AgentProcess.output(tmp.resolve("x"));
        assertTrue(out.startsWith("lb-agent: cannot create run directory " + run), out);
        assertEquals(1, out.lines().count(), out);
    }
}

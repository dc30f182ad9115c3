package dev.lb.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.protocol.Event;
import dev.lb.protocol.EventLevel;
import dev.lb.protocol.EventStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a workload starts outside its process group (setsid, a daemon's double fork) is found by the repetition's
 * environment marker, stopped at the end of the repetition, and named in a warning; what clears its environment
 * escapes, as docs/agent.md says.
 */
class EscapedProcessesTest {
    @TempDir
    Path tmp;

    private final String marker = "lbescape-" + UUID.randomUUID();
    /** A sleeper whose command line carries the test's marker, so the test can find it in /proc. */
    private final String sleeper = python() + " -c 'import time; time.sleep(600)' " + marker;

    /** The interpreter itself: a wrapper such as pyenv's shim would start helpers of its own, all of them marked. */
    private static String python() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
            String path = new String(p.getInputStream().readAllBytes()).strip();
            assertEquals(0, p.waitFor());
            return path;
        } catch (Exception e) {
            throw new AssertionError("cannot find python3", e);
        }
    }

    @AfterEach
    void killLeftovers() throws Exception {
        for (long pid : Processes.withMarker(marker)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private List<Event> run(String script) throws Exception {
        Path run = tmp.resolve("run");
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run, "--grace", "2", "--", "sh", "-c", script));
        assertEquals(0, rc, AgentProcess.output(run));
        return StreamFileReader.events(run.resolve("lb_events.stream.log"));
    }

    private static List<Event> escapeWarnings(List<Event> events) {
        return events.stream().filter(e -> e.message().startsWith("stopped a process the workload left running"))
                .toList();
    }

    @Test
    void aChildThatLeftTheSessionIsStoppedAndNamedWithItsCommand() throws Exception {
        // The workload lives a second on, so the child has exec'd its command by the time it is found (caught before,
        // it is named by what it was then: the forked shell).
        List<Event> events = run("setsid " + sleeper + " >/dev/null 2>&1 & echo started it; sleep 1");
        assertEquals(List.of(), Processes.withMarker(marker), "nothing of the workload is left running");
        List<Event> warnings = escapeWarnings(events);
        assertEquals(1, warnings.size(), events.toString());
        Event w = warnings.get(0);
        assertEquals(EventLevel.WARNING, w.level());
        // python3 may be a wrapper (pyenv's shim execs it): the arguments are the command's either way.
        assertTrue(w.message().matches("stopped a process the workload left running: pid \\d+: .*python3[.0-9]* -c import"
                + " time; time.sleep\\(600\\) " + marker), w.message());
        assertTrue(w.field("pid").asLong() > 1);
        Event last = StreamFileReader.last(events);
        assertEquals(EventStatus.DONE, last.status(), "a stray is said, not a failure of the benchmark");
        assertEquals(1, last.field("escaped_processes").asInt(), "counted in the repetition's final event");
    }

    @Test
    void aDoubleForkedDaemonIsFoundToo() throws Exception {
        // The classic daemon: fork, setsid, fork again, the middle process exits; the grandchild is re-parented to
        // init (or a subreaper) in a session of its own, and closes what it inherited.
        List<Event> events = run(python() + " -c \"import os, time, sys\n"
                + "if os.fork() == 0:\n"
                + "    os.setsid()\n"
                + "    if os.fork() == 0:\n"
                + "        os.closerange(0, 3)\n"
                + "        os.execv(sys.executable, ['python3', '-c', 'import time; time.sleep(600)', sys.argv[1]])\n"
                + "    os._exit(0)\n"
                + "os.wait()\n"
                + "print('daemonized')\" " + marker);
        assertEquals(List.of(), Processes.withMarker(marker));
        assertEquals(1, escapeWarnings(events).size(), events.toString());
        assertEquals(1, StreamFileReader.last(events).field("escaped_processes").asInt());
    }

    @Test
    void aChildThatLeftTheSessionHoldingTheOutputEndsTheDrainAtOnce() throws Exception {
        long started = System.nanoTime();
        // No redirection: the sleeper keeps the workload's stdout open; the drain used to wait 60 s for it.
        List<Event> events = run("setsid " + sleeper + " & echo started it");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertEquals(List.of(), Processes.withMarker(marker));
        assertEquals(1, escapeWarnings(events).size(), events.toString());
        assertTrue(seconds < 40, "the repetition took " + seconds + " s");
        assertEquals(EventStatus.DONE, StreamFileReader.last(events).status());
    }

    @Test
    void aChildThatStaysInTheGroupIsNamedAsWell() throws Exception {
        List<Event> events = run(sleeper + " >/dev/null 2>&1 & echo left one behind");
        assertEquals(List.of(), Processes.withMarker(marker));
        assertEquals(1, escapeWarnings(events).size(), events.toString());
    }

    @Test
    void aProcessThatClearsItsEnvironmentEscapesAsTheDocsSay() throws Exception {
        List<Event> events = run("env -i setsid " + sleeper + " >/dev/null 2>&1 & echo started it");
        List<Long> left = new ArrayList<>(Processes.withMarker(marker));
        assertEquals(1, left.size(), "env -i leaves no marker: the process outlives the repetition");
        assertEquals(0, escapeWarnings(events).size(), "and nothing is said of it");
        assertTrue(!events.stream().anyMatch(e -> e.payload().has("escaped_processes")));
    }

    @Test
    void aRepetitionWithoutStraysSaysNothingOfThem() throws Exception {
        List<Event> events = run("echo alone");
        assertEquals(0, escapeWarnings(events).size());
        assertTrue(!StreamFileReader.last(events).payload().has("escaped_processes"));
    }
}

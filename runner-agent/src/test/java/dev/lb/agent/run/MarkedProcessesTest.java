package dev.lb.agent.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The marker matches one environ entry exactly; a command line is shown as one bounded, inert line. */
class MarkedProcessesTest {
    @TempDir
    Path tmp;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void onlyTheWholeEntryMatches() {
        byte[] wanted = bytes("LB_REPETITION_ID=abc");
        assertTrue(MarkedProcesses.carries(bytes("A=1\0LB_REPETITION_ID=abc\0B=2\0"), wanted));
        assertTrue(MarkedProcesses.carries(bytes("LB_REPETITION_ID=abc"), wanted), "last entry without its NUL");
        assertFalse(MarkedProcesses.carries(bytes("LB_REPETITION_ID=abcd\0"), wanted), "another repetition's id");
        assertFalse(MarkedProcesses.carries(bytes("X_LB_REPETITION_ID=abc\0"), wanted));
        assertFalse(MarkedProcesses.carries(bytes("A=LB_REPETITION_ID=abc\0"), wanted));
        assertFalse(MarkedProcesses.carries(new byte[0], wanted));
    }

    @Test
    void aCommandLineIsJoinedMadeInertAndBounded() throws Exception {
        Path p = tmp.resolve("123");
        Files.createDirectories(p);
        Files.write(p.resolve("cmdline"), bytes("sleep\u0000603\u0000"));
        assertEquals("sleep 603", MarkedProcesses.command(p));
        Files.write(p.resolve("cmdline"), bytes("evil\0\u001b[2Jclear\u0007\0"));
        assertEquals("evil clear\uFFFD", MarkedProcesses.command(p));
        Files.write(p.resolve("cmdline"), bytes("x".repeat(5000)));
        assertEquals(MarkedProcesses.COMMAND_CHARS, MarkedProcesses.command(p).length());
        Files.write(p.resolve("cmdline"), new byte[0]);
        Files.writeString(p.resolve("comm"), "kworker\n");
        assertEquals("[kworker]", MarkedProcesses.command(p));
    }

    @Test
    void aRealChildCarryingTheMarkerIsFoundAndStopped() throws Exception {
        MarkedProcesses marked = MarkedProcesses.fresh();
        ProcessBuilder pb = new ProcessBuilder("setsid", "sleep", "600");
        pb.environment().put(marked.variable(), marked.value());
        Process child = pb.start();
        ProcessBuilder other = new ProcessBuilder("sleep", "600"); // the same command without the marker
        Process unmarked = other.start();
        try {
            long deadline = System.currentTimeMillis() + 10_000;
            List<MarkedProcesses.Found> found = List.of();
            while (found.isEmpty() && System.currentTimeMillis() < deadline) {
                found = marked.find(new ArrayList<>());
            }
            assertEquals(1, found.size(), found.toString());
            assertEquals("sleep 600", found.get(0).command());
            MarkedProcesses.Sweep sweep = marked.stopAll(java.time.Duration.ofSeconds(2));
            assertEquals(1, sweep.stopped().size());
            assertEquals(List.of(), sweep.survivors());
            assertTrue(child.waitFor(5, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(unmarked.isAlive(), "a process without the marker is never touched");
        } finally {
            child.destroyForcibly();
            unmarked.destroyForcibly();
        }
    }
}

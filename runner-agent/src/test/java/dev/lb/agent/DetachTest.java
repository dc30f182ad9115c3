package dev.lb.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.protocol.EventStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetachTest {
    @TempDir
    Path tmp;

    private static long sessionOf(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[3]); // state ppid pgrp session
    }

    @Test
    void detachedAgentRunsInItsOwnSessionAndFinishesAfterTheCallerReturned() throws Exception {
        Path run = tmp.resolve("run");
        long started = System.nanoTime();
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run, "--detach",
                "--", "sh", "-c", "sleep 1; echo finished --detach"));
        assertEquals(0, rc, AgentProcess.output(run));
        assertTrue((System.nanoTime() - started) / 1_000_000 < 20_000);
        long pid = Long.parseLong(Files.readString(run.resolve("agent.pid")).trim());
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "still running after return");
        assertNotEquals(sessionOf(ProcessHandle.current().pid()), sessionOf(pid), "a session of its own");
        assertTrue(Files.notExists(run.resolve("status.json")));

        long deadline = System.currentTimeMillis() + 30_000;
        while (Files.notExists(run.resolve("status.json")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        var events = StreamFileReader.events(run.resolve("lb_events.stream.log"));
        assertEquals(EventStatus.DONE, StreamFileReader.last(events).status());
        assertEquals(List.of("finished --detach"), StreamFileReader.messages(events, "stdout"),
                "--detach after -- belongs to the workload");
    }
}

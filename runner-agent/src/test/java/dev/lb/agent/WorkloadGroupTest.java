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

/** workload.pgid names the workload's own process group while it may have members, and only then. */
class WorkloadGroupTest {
    @TempDir
    Path tmp;

    private static long groupOf(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]); // state ppid pgrp
    }

    private static void await(Path file) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (Files.notExists(file) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(Files.exists(file), file + " did not appear");
    }

    @Test
    void pgidIsOnRecordWhileTheWorkloadRunsAndGoneAfter() throws Exception {
        Path run = tmp.resolve("run");
        Path release = tmp.resolve("release");
        Process agent = AgentProcess.start(run, List.of(), AgentProcess.runArgs(run, "--", "sh", "-c",
                "echo up; while [ ! -e \"$0\" ]; do sleep 0.02; done", release.toString()));
        Path pgidFile = run.resolve("workload.pgid");
        await(pgidFile);
        long pid = StreamFileReader.events(run.resolve("lb_events.stream.log"), true).get(0).field("pid").asLong();
        assertEquals(pid + "\n", Files.readString(pgidFile), "the pgid in decimal and a newline");
        assertEquals(pid, groupOf(pid), "the workload leads its own group");
        assertTrue(groupOf(pid) != groupOf(agent.pid()), "not the agent's group");

        Files.createFile(release);
        assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, agent.exitValue(), AgentProcess.output(run));
        assertTrue(Files.notExists(pgidFile), "no stale pgid once the group is gone");
    }

    @Test
    void membersLeftInTheGroupAreStoppedBeforeTheRecordGoes() throws Exception {
        String marker = "lbmark-" + UUID.randomUUID();
        Path run = tmp.resolve("run");
        // The background child lets go of the workload's output, so only its process group still ties it to it.
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run, "--grace", "1", "--", "sh", "-c",
                "python3 -c 'import time; time.sleep(600)' \"$0\" >/dev/null 2>&1 & echo left one behind", marker));
        assertEquals(0, rc, AgentProcess.output(run));
        assertEquals(List.of(), Processes.withMarker(marker), "no process of the workload's group is left");
        assertTrue(Files.notExists(run.resolve("workload.pgid")));
        List<Event> events = StreamFileReader.events(run.resolve("lb_events.stream.log"));
        assertTrue(events.stream().anyMatch(e -> e.message().startsWith("stopped a process the workload left running")
                && e.message().endsWith(marker)), "the agent says what it stopped, naming it");
        assertEquals(EventStatus.DONE, StreamFileReader.last(events).status());
    }

    @Test
    void aBurstReadAfterTheWorkloadExitedIsNoReasonForAWarning() throws Exception {
        Path run = tmp.resolve("run");
        // 200,000 lines written at once: the workload is gone long before the pump has turned them into events.
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run, "--", "python3", "-c",
                "import sys; sys.stdout.write(''.join('line %d\\n' % i for i in range(200000)))"));
        assertEquals(0, rc, AgentProcess.output(run));
        List<Event> events = StreamFileReader.events(run.resolve("lb_events.stream.log"));
        assertEquals(200_000, events.stream().filter(e -> e.message().startsWith("line ")).count());
        assertTrue(events.stream().noneMatch(e -> e.message().contains("still open")), "no false warning");
    }
}

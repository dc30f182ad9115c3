package dev.lb.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.protocol.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashSafetyTest {
    @TempDir
    Path tmp;

    @Test
    void agentKilledMidRunLeavesOnlyCompleteEventsButPossiblyTheLastLine() throws Exception {
        Path run = tmp.resolve("run");
        Process agent = AgentProcess.start(run, List.of(), AgentProcess.runArgs(run,
                "--", "python3", "-c", "import sys\nwhile True: sys.stdout.write('line with some text \\u00e9\\n')"));
        Path stream = run.resolve("lb_events.stream.log");
        long deadline = System.currentTimeMillis() + 30_000;
        while ((!Files.exists(stream) || Files.size(stream) < 2_000_000) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        agent.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook, no final event
        assertTrue(agent.waitFor(10, TimeUnit.SECONDS));
        List<Event> events = StreamFileReader.events(stream, true);
        assertTrue(events.size() > 5_000, "events written before the kill: " + events.size());
        StreamFileReader.assertSeqGapless(events);
        assertTrue(Files.notExists(run.resolve("status.json")), "no status: the poll step reports a crash");
        // The orphaned workload got no signal from a killed agent; end it here so it does not outlive the test.
        long workloadPid = events.get(0).field("pid").asLong();
        ProcessHandle.of(workloadPid).ifPresent(ProcessHandle::destroyForcibly);
    }
}

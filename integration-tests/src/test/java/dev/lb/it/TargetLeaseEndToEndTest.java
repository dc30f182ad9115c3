package dev.lb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The target lease (issue 29, item 1) on the project's own test targets: a host-network container, whose host name is
 * the controller's and whose PID namespace is its own. Two runs started at the same moment: exactly one runs; the
 * other ends "not run: target busy" with exit 5 and journals no repetition event, or, with --wait-for-targets, waits
 * for it and runs after it.
 */
class TargetLeaseEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path work;
    private SshTargets targets;

    @BeforeEach
    void setUp(TestInfo info) throws Exception {
        work = RunFiles.workDir(info);
        targets = SshTargets.start(work, "web-1");
    }

    @AfterEach
    void tearDown() {
        targets.close();
    }

    private Path config(String outputDir) throws IOException {
        Path c = work.resolve(outputDir + ".yaml");
        Files.writeString(c, "poll_interval_s: 1.0\noutput_dir: " + outputDir + "\nmetrics_interval_s: 0\n"
                + targets.targetsYaml() + "workloads:\n  - name: w\n    argv: [sh, -c, 'echo started; sleep 8; echo end']\n");
        return c;
    }

    private Process start(String outputDir, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "-c", config(outputDir).toString(), "--output", "plain"));
        args.addAll(List.of(extra));
        return LbProcess.builder(work, Map.of(), args.toArray(String[]::new)).redirectErrorStream(true)
                .redirectOutput(work.resolve(outputDir + ".out").toFile()).start();
    }

    private String out(String outputDir) throws IOException {
        return Files.readString(work.resolve(outputDir + ".out"), StandardCharsets.UTF_8);
    }

    private static int finish(Process p) throws InterruptedException {
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "lb run did not end");
        return p.exitValue();
    }

    private Path runDir(String outputDir) throws IOException {
        return RunFiles.onlyRunDir(work.resolve(outputDir));
    }

    private static List<JsonNode> repetitionEvents(Path runDir) throws IOException {
        return RunFiles.journal(runDir).stream().map(r -> r.get("event")).filter(e -> e.path("repetition").asInt() >= 1)
                .toList();
    }

    /** Every event of the collected stream file is in the journal once: (emitted, journalled). */
    private static long[] emittedJournalled(Path runDir) throws IOException {
        Map<String, Integer> journalled = new HashMap<>();
        for (JsonNode r : RunFiles.journal(runDir)) {
            JsonNode e = r.get("event");
            journalled.merge(e.path("src").asText() + "/" + e.path("repetition").asInt() + "/" + e.path("seq").asLong(),
                    1, Integer::sum);
        }
        long emitted = 0;
        long found = 0;
        for (String l : Files.readAllLines(runDir.resolve("artifacts/web-1/lb_events.stream.log"),
                StandardCharsets.UTF_8)) {
            int at = l.indexOf("LB_EVENT ");
            if (at >= 0) {
                JsonNode e = JSON.readTree(l.substring(at + 9));
                emitted++;
                found += journalled.getOrDefault(e.path("src").asText() + "/" + e.path("repetition").asInt() + "/"
                        + e.path("seq").asLong(), 0);
            }
        }
        assertTrue(journalled.values().stream().allMatch(n -> n == 1), "exactly once in " + runDir);
        return new long[] {emitted, found};
    }

    @Test
    void twoRunsStartedTogetherOnOneContainerOneRunsTheOtherIsNotRunOrWaits() throws Exception {
        // At the same moment, without waiting: one runs, the other starts nothing and exits 5.
        Process a = start("runs-a");
        Process b = start("runs-b");
        int ea = finish(a);
        int eb = finish(b);
        assertEquals(List.of(0, 5), ea < eb ? List.of(ea, eb) : List.of(eb, ea), "exit codes a=" + ea + " b=" + eb
                + "\n--- a\n" + out("runs-a") + "\n--- b\n" + out("runs-b"));
        String ran = ea == 0 ? "runs-a" : "runs-b";
        String refused = ea == 0 ? "runs-b" : "runs-a";
        String holder = runDir(ran).getFileName().toString();
        long[] counts = emittedJournalled(runDir(ran));
        assertEquals(counts[0], counts[1], "every event of the run that ran journalled");
        assertEquals(0, JSON.readTree(runDir(ran).resolve("summary.json").toFile()).path("events").path("lost")
                .asLong(0));
        String no = out(refused);
        assertTrue(no.contains("this target is in use by run " + holder), no);
        assertTrue(no.contains(": not run: target busy (exit 5) - held by another run: web-1 ("), no);
        assertFalse(no.contains("took over a stale lock"), no);
        assertFalse(out(ran).contains("took over a stale lock"), out(ran));
        assertEquals(List.of(), repetitionEvents(runDir(refused)), "nothing ran where the target was busy");
        JsonNode refusedSummary = JSON.readTree(runDir(refused).resolve("summary.json").toFile());
        assertEquals(5, refusedSummary.path("exit_code").asInt(), refusedSummary.toString());
        assertEquals("not run: target busy", refusedSummary.path("outcome").asText());

        // At the same moment, both waiting: both run, one after the other, and the waiting one says whom for.
        Process c = start("runs-c", "--wait-for-targets", "120");
        Process d = start("runs-d", "--wait-for-targets", "120");
        assertEquals(0, finish(c), out("runs-c"));
        assertEquals(0, finish(d), out("runs-d"));
        String waited = out("runs-c").contains("waiting for this target (") ? "runs-c" : "runs-d";
        String first = waited.equals("runs-c") ? "runs-d" : "runs-c";
        assertTrue(out(waited).contains("--wait-for-targets): in use by run " + runDir(first).getFileName()),
                out(waited));
        double firstEnded = repetitionEvents(runDir(first)).stream().mapToDouble(e -> e.path("ts").asDouble()).max()
                .orElseThrow();
        double secondStarted = repetitionEvents(runDir(waited)).stream().mapToDouble(e -> e.path("ts").asDouble())
                .min().orElseThrow();
        assertTrue(secondStarted >= firstEnded, "the waiting run's workload started after the other's ended");
        for (String dir : List.of("runs-c", "runs-d")) {
            long[] n = emittedJournalled(runDir(dir));
            assertEquals(n[0], n[1], dir + ": every event journalled");
        }
    }
}

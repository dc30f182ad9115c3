package dev.lb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The controller's run directory on a 2 MB tmpfs, filled by a workload that prints 5,000 lines as fast as it can:
 * the journal stays a clean prefix with an exact count, the stdout path carries what the callback's JSONL file could
 * not take, the summary names what is not journalled, and once there is room {@code lb recover} completes the
 * journal from the target's stream file. Needs root (it mounts the tmpfs), as CI has.
 */
class FullDiskEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LINES = 5_000;

    private Path work;
    private Path runs;

    @BeforeEach
    void setUp(TestInfo info) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        work = RunFiles.workDir(info);
        runs = work.resolve("runs");
        Files.createDirectories(runs);
        sh("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", runs.toString());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (runs != null) {
            // Keep what the run left for a reader of a failure, then give the mount back.
            sh("cp", "-a", runs.toString(), work.resolve("runs-kept").toString());
            sh("umount", runs.toString());
        }
    }

    private static void sh(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).inheritIO().start();
        assertEquals(0, p.waitFor(), String.join(" ", argv));
    }

    @Test
    void aFullRunDirectoryKeepsTheJournalACleanPrefixAndLbRecoverCompletesItOnceThereIsRoom() throws Exception {
        Path cfg = work.resolve("burst.yaml");
        Files.writeString(cfg, "poll_interval_s: 1.0\noutput_dir: runs\nrepetitions: 1\nmetrics_interval_s: 0\n"
                + "targets:\n  hosts:\n    - {name: local, connection: local}\n"
                + "workloads:\n  - name: burst\n    argv: [python3, -c, \"for i in range(1, " + (LINES + 1)
                + "): print('event line number %d with some padding text' % i)\"]\n");
        LbProcess run = LbProcess.runIn(work, Map.of(), null, "run", "-c", cfg.toString(), "--output", "plain");
        String said = run.out() + run.err();
        assertEquals(3, run.exitCode(), "events accepted but not journalled: exit 3\n" + tail(said));
        assertTrue(said.contains("the journal could not be written (No space left on device)"), tail(said));
        assertTrue(said.contains("little room for the run"), "warned before the run\n" + tail(said));
        Path dir = RunFiles.onlyRunDir(runs);

        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        List<Long> journalled = agentSeqs(dir);
        JsonNode journal = summary.path("journal");
        assertEquals(journal.path("records").asLong(), Files.readAllLines(dir.resolve("journal.jsonl")).size(),
                "the summary counts the records on disk");
        assertTrue(journalled.size() < LINES, "the disk filled before the journal had everything");
        for (int i = 0; i < journalled.size(); i++) {
            assertEquals(i + 1, journalled.get(i), "a clean prefix, in order");
        }
        long accepted = summary.path("events").path("accepted").asLong();
        assertTrue(accepted >= LINES + 3, "every event of the target was accepted live: " + accepted);
        assertEquals(accepted, journal.path("records").asLong() + journal.path("not_journalled").asLong(),
                "journalled + not journalled = accepted");
        JsonNode firstRange = journal.path("not_journalled_ranges").get(0);
        assertEquals(List.of("burst", journalled.size() + 1L, LINES + 3L), List.of(firstRange.path("workload").asText(),
                firstRange.path("from").asLong(), firstRange.path("to").asLong()), "the missing range is named, to the final event");
        assertTrue(summary.path("events").path("stdout_only").asLong() > 0,
                "stdout carried what the JSONL file could not take");
        assertTrue(summary.path("transport").path("warnings").toString().contains("events reach the controller by"
                + " stdout only"), summary.path("transport").toString());
        assertEquals("done", summary.path("state").get(0).path("repetitions").path("1").asText(),
                "the repetition ended done: a failing finish is not the repetition's failure");

        sh("mount", "-o", "remount,size=64m", runs.toString());
        LbProcess recover = LbProcess.runIn(work, Map.of(), null, "recover", dir.toString());
        assertEquals(0, recover.exitCode(), tail(recover.out() + recover.err()));
        Map<Long, Integer> once = new HashMap<>();
        agentSeqs(dir).forEach(s -> once.merge(s, 1, Integer::sum));
        assertEquals(LINES + 3, once.size(), "agent started + every line + the timed result + done, after lb recover");
        assertTrue(once.values().stream().allMatch(n -> n == 1), "exactly once");
        JsonNode after = JSON.readTree(dir.resolve("summary.json").toFile());
        assertEquals(0, after.path("journal").path("not_journalled").asLong());
        assertEquals("complete", after.path("completeness").path("verdict").asText());
    }

    /** The agent's seqs in journal order; fails on a torn or unreadable record. */
    private static List<Long> agentSeqs(Path dir) throws IOException {
        String text = Files.readString(dir.resolve("journal.jsonl"), StandardCharsets.UTF_8);
        assertTrue(text.endsWith("\n"), "the journal ends on a record boundary");
        return RunFiles.journal(dir).stream().map(r -> r.get("event"))
                .filter(e -> e.path("src").asText().equals("agent")).map(e -> e.path("seq").asLong()).toList();
    }

    private static String tail(String s) {
        List<String> l = s.lines().filter(x -> !x.contains("INFO event line")).toList();
        return String.join("\n", l.subList(Math.max(0, l.size() - 30), l.size()));
    }
}

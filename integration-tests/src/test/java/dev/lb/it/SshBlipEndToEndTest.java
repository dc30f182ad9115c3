package dev.lb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 29, item 4: an SSH blip (a target paused 20 s, its ControlPersist master killed) made Ansible drop the host
 * as unreachable; finish.yml's STOP cut the running repetition and the later ones were skipped. The poll is now sent
 * again on a new connection for {@code timeouts.unreachable_retry_s}: every event is journalled (live or recovered),
 * each repetition ends {@code done}, exit 0. Past the bound the host is unreachable with the cause in its row.
 */
class SshBlipEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The workload: "started", then one tick every 0.1 s. */
    private static final int TICKS = 200;

    @RegisterExtension
    final SshTargetsPerTest targets = new SshTargetsPerTest("web-1");

    private Path config(int reps, String timeouts) throws IOException {
        Path c = targets.work().resolve("lb.yaml");
        // No system metrics: every event of a repetition is counted exactly.
        Files.writeString(c, "repetitions: " + reps + "\npoll_interval_s: 1.0\noutput_dir: runs\nmetrics_interval_s: 0\n"
                + "timeouts: {stop_grace_s: 30" + timeouts + "}\n" + targets.targetsYaml() + "workloads:\n"
                + "  - name: load\n    argv: [sh, -c, 'echo started; i=0; while [ $i -lt " + TICKS
                + " ]; do echo tick $i; sleep 0.1; i=$((i+1)); done']\n");
        return c;
    }

    private Process start(Path cfg) throws IOException {
        return LbProcess.builder(targets.work(), Map.of(), "run", "-c", cfg.toString(), "--output", "plain")
                .redirectErrorStream(true).redirectOutput(targets.work().resolve("lb-output.txt").toFile()).start();
    }

    private String output() throws IOException {
        return Files.readString(targets.work().resolve("lb-output.txt"), StandardCharsets.UTF_8);
    }

    private int finish(Process p) throws Exception {
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "lb run did not end; see " + targets.work());
        return p.exitValue();
    }

    private void awaitOutput(String text) throws Exception {
        long deadline = System.currentTimeMillis() + 240_000;
        while (System.currentTimeMillis() < deadline) {
            if (output().contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("never saw '" + text + "' in " + targets.work().resolve("lb-output.txt"));
    }

    private Path runDir() throws IOException {
        try (Stream<Path> s = Files.list(targets.work().resolve("runs"))) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow(); // runs/ also holds history.db
        }
    }

    private List<JsonNode> agentEvents(int rep) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(runDir().resolve("journal.jsonl"), StandardCharsets.UTF_8)) {
            JsonNode e = JSON.readTree(l).get("event");
            if (e.path("src").asText().equals("agent") && e.path("repetition").asInt() == rep) {
                out.add(e);
            }
        }
        return out;
    }

    private JsonNode summary() throws IOException {
        return JSON.readTree(runDir().resolve("summary.json").toFile());
    }

    /**
     * Every event of each repetition in the journal once (seq 1 to the seal's count, no hole), every tick among them,
     * the repetition {@code done}; the run done and complete. The counts go to the test's output.
     */
    private void assertEveryRepetitionDoneAndWhole(int reps) throws IOException {
        for (int rep = 1; rep <= reps; rep++) {
            List<JsonNode> agent = agentEvents(rep);
            TreeSet<Long> seqs = new TreeSet<>();
            agent.forEach(e -> seqs.add(e.path("seq").asLong()));
            assertEquals(agent.size(), seqs.size(), "each event once, rep " + rep + " in " + runDir());
            // In journal order recovered events come last: the agent's final event is its highest seq.
            JsonNode last = agent.stream().max(java.util.Comparator.comparingLong(e -> e.path("seq").asLong())).orElseThrow();
            assertEquals("done", last.path("status").asText(), "rep " + rep + " in " + runDir());
            long sealed = last.path("seal").path("agent").path("count").asLong();
            assertEquals(sealed, seqs.size(), "rep " + rep + ": every sealed event journalled");
            assertEquals(List.of(1L, sealed), List.of(seqs.first(), seqs.last()), "no hole, rep " + rep);
            assertEquals(TICKS, agent.stream().filter(e -> e.path("message").asText().startsWith("tick ")).count(),
                    "every tick of rep " + rep);
        }
        JsonNode s = summary();
        System.out.println(runDir() + ": events " + s.path("events") + ", transport warnings "
                + s.path("transport").path("warnings"));
        assertEquals("done", s.path("outcome").asText(), s.toString());
        assertEquals("complete", s.path("completeness").path("verdict").asText(), s.toString());
        assertEquals(0, s.path("gaps").size(), s.toString());
    }

    private String transportWarnings() throws IOException {
        return summary().path("transport").path("warnings").toString();
    }

    @Test
    void aTargetPausedTwentySecondsMidRepetitionLosesNoEventAndEveryRepetitionEndsDone() throws Exception {
        Process p = start(config(2, ""));
        awaitOutput("web-1 load 1/2 INFO agent tick 30");
        var c = targets.get("web-1").container();
        c.getDockerClient().pauseContainerCmd(c.getContainerId()).exec();
        Thread.sleep(20_000);
        c.getDockerClient().unpauseContainerCmd(c.getContainerId()).exec();
        assertEquals(0, finish(p), output());
        assertEveryRepetitionDoneAndWhole(2);
        assertTrue(transportWarnings().contains("answered on a new ssh connection"),
                "the pause broke the poll's connection and it was retried: " + transportWarnings());
        assertTrue(!output().contains("UNREACHABLE"), output());
    }

    @Test
    void aKilledControlPersistMasterCostsNoEventAndEveryRepetitionEndsDone() throws Exception {
        Process p = start(config(2, ""));
        awaitOutput("web-1 load 1/2 INFO agent tick 30");
        long master = controlMaster(targets.get("web-1").port());
        assertEquals(0, new ProcessBuilder("kill", "-9", Long.toString(master)).start().waitFor());
        assertEquals(0, finish(p), output());
        assertEveryRepetitionDoneAndWhole(2);
        assertTrue(transportWarnings().contains("answered on a new ssh connection"),
                "the poll in flight lost its connection with the master and was retried: " + transportWarnings());
    }

    @Test
    void pastTheRetryBoundTheHostIsUnreachableWithTheCauseInItsRow() throws Exception {
        Process p = start(config(2, ", unreachable_retry_s: 5"));
        awaitOutput("web-1 load 1/2 INFO agent tick 30");
        var c = targets.get("web-1").container();
        c.getDockerClient().pauseContainerCmd(c.getContainerId()).exec();
        try {
            awaitOutput("the poll's connection failed");
        } finally {
            // Back, so that finish.yml can stop and collect it.
            c.getDockerClient().unpauseContainerCmd(c.getContainerId()).exec();
        }
        assertEquals(1, finish(p), output());
        String out = output();
        List<String> rows = out.lines().filter(l -> l.startsWith("    web-1 load rep 1 ")).toList();
        assertEquals(1, rows.size(), out);
        assertTrue(rows.get(0).matches("    web-1 load rep 1 unreachable: host unreachable in task 'workload_runner : poll"
                + " load 1/2': the poll's connection failed \\d+ times in \\d+ s, each time a new ssh connection \\(retried"
                + " for up to timeouts.unreachable_retry_s = 5 s\\); the last: .+ \\(the agent, left running, then:"
                + " stopped \\(STOP file .+\\) after [0-9.]+s\\)"), rows.get(0));
        assertTrue(out.contains("run " + runDir().getFileName() + ": failed (exit 1) - 2 repetitions did not end done: 1"
                + " skipped, 1 unreachable"), out);
        assertTrue(!rows.get(0).endsWith("ssh: ") && !rows.get(0).contains("All items completed"), rows.get(0));
    }

    /** The ControlPersist master Ansible's ssh keeps for 127.0.0.1:port as root, found by its control path. */
    private static long controlMaster(int port) throws Exception {
        // ansible's ssh connection: ControlPath <control_path_dir>/<sha1("host-port-user")[:10]>; the master's
        // process title is "ssh: <control path> [mux]".
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                .digest(("127.0.0.1-" + port + "-root").getBytes(StandardCharsets.UTF_8))).substring(0, 10);
        List<String> masters = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
                String cmdline;
                try {
                    cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ').trim();
                } catch (IOException gone) {
                    continue; // ended while listed
                }
                if (cmdline.startsWith("ssh: ") && cmdline.endsWith("[mux]")) {
                    if (cmdline.contains("/" + hash + " ")) {
                        return Long.parseLong(proc.getFileName().toString());
                    }
                    masters.add(cmdline);
                }
            }
        }
        throw new AssertionError("no ControlPersist master for port " + port + " (" + hash + "); masters: " + masters);
    }
}

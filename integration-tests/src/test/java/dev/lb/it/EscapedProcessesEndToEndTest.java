package dev.lb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A workload that daemonizes a child on an SSH target (issue #29 item 5): the child is stopped at the end of the
 * repetition and named in the journal; one that cleared its environment escapes, as docs/agent.md says.
 */
class EscapedProcessesEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final SshTargetsPerTest targets = new SshTargetsPerTest("web-1");

    @Test
    void aDaemonTheWorkloadStartedIsStoppedAndNamedButOneThatClearsItsEnvironmentEscapes() throws Exception {
        Path cfg = targets.work().resolve("lb.yaml");
        // sleep 603 keeps the workload's output open, as a careless daemon does; sleep 604 lets go of it.
        Files.writeString(cfg, "repetitions: 1\npoll_interval_s: 1.0\noutput_dir: runs\nmetrics_interval_s: 0\n"
                + "timeouts: {stop_grace_s: 30}\n" + targets.targetsYaml() + "workloads:\n"
                + "  - name: daemons\n    argv: [sh, -c, 'setsid sleep 603 & env -i setsid sleep 604 >/dev/null 2>&1 &"
                + " echo started both; sleep 1']\n");
        Process lb = LbProcess.builder(targets.work(), Map.of(), "run", "-c", cfg.toString(), "--output", "plain")
                .redirectErrorStream(true).redirectOutput(targets.work().resolve("lb-output.txt").toFile()).start();
        assertTrue(lb.waitFor(600, TimeUnit.SECONDS), "lb run did not end; see " + targets.work());
        String output = Files.readString(targets.work().resolve("lb-output.txt"), StandardCharsets.UTF_8);
        SshTargets.Target web1 = targets.get("web-1");
        try {
            assertEquals(0, lb.exitValue(), "a stray is said, not a failure\n" + output);
            String ps = web1.exec("ps", "-eo", "args").getStdout();
            assertTrue(ps.lines().noneMatch(l -> l.strip().equals("sleep 603")), "stopped at the end:\n" + ps);
            assertTrue(ps.lines().anyMatch(l -> l.strip().equals("sleep 604")),
                    "env -i cleared the marker: it escapes, as docs/agent.md says\n" + ps);

            Path run;
            try (Stream<Path> s = Files.list(targets.work().resolve("runs"))) {
                run = s.filter(Files::isDirectory).findFirst().orElseThrow();
            }
            List<JsonNode> journal = new ArrayList<>();
            for (String l : Files.readAllLines(run.resolve("journal.jsonl"), StandardCharsets.UTF_8)) {
                journal.add(JSON.readTree(l).get("event"));
            }
            List<JsonNode> warnings = journal.stream().filter(e -> e.path("message").asText()
                    .startsWith("stopped a process the workload left running")).toList();
            assertEquals(1, warnings.size(), "one warning, for sleep 603 only, in " + run);
            JsonNode w = warnings.get(0);
            assertEquals("WARNING", w.path("level").asText());
            assertEquals("sleep 603", w.path("command").asText());
            assertTrue(w.path("message").asText().endsWith(": sleep 603"), w.toString());
            assertTrue(output.contains("stopped a process the workload left running: pid "), output);
            JsonNode last = journal.stream().filter(e -> e.path("src").asText().equals("agent"))
                    .reduce((a, b) -> b).orElseThrow();
            assertEquals("done", last.path("status").asText());
            assertEquals(1, last.path("escaped_processes").asInt(), last.toString());

            long written = Files.readAllLines(run.resolve("artifacts/web-1/lb_events.stream.log")).stream()
                    .filter(l -> l.contains("LB_EVENT")).count();
            long journalled = journal.stream().filter(e -> e.path("src").asText().equals("agent")).count();
            assertEquals(written, journalled, "every event the agent wrote is journalled");
            System.out.printf("escaped processes: %d events written, %d journalled, exit %d%n", written, journalled,
                    lb.exitValue());
        } finally {
            web1.exec("pkill", "-f", "^sleep 60[34]$");
        }
    }
}

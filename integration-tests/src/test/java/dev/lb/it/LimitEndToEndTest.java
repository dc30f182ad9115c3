package dev.lb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** lb run --limit against two real sshd targets: only the selected one runs, and the run's plan knows only it. */
class LimitEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final SshTargetsPerTest targets = new SshTargetsPerTest("web-1", "web-2");

    @Test
    void limitRunsOnlyTheSelectedTargetAndItsSummaryAndJournalHoldOnlyThatHost() throws Exception {
        Path cfg = targets.work().resolve("lb.yaml");
        Files.writeString(cfg, "repetitions: 2\npoll_interval_s: 0.5\nmetrics_interval_s: 0\noutput_dir: runs\n"
                + "targets:\n  target_root: /root/lb-targets\n" + targets.targetsYaml().substring("targets:\n".length())
                + "workloads:\n  - name: count\n    argv: [sh, -c, 'i=1; while [ $i -le 20 ]; do echo line $i;"
                + " i=$((i+1)); done']\n");

        LbProcess refused = LbProcess.runIn(targets.work(), Map.of(), null, "run", "-c", cfg.toString(), "--limit", "db-*");
        assertEquals(2, refused.exitCode(), refused.err());
        assertEquals("lb: --limit 'db-*' selects no host of the inventory; its hosts: web-1, web-2\n", refused.err());
        assertFalse(Files.exists(targets.work().resolve("runs")), "a refused limit starts no run");

        LbProcess run = LbProcess.runIn(targets.work(), Map.of(), null, "run", "-c", cfg.toString(), "--output", "plain",
                "--limit", "web-*:!web-1");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("--limit 'web-*:!web-1': 1 of 2 hosts (web-2)"), run.out());
        Path runDir = RunFiles.onlyRunDir(targets.work().resolve("runs"));

        List<JsonNode> journal = RunFiles.journal(runDir);
        assertFalse(journal.isEmpty());
        journal.forEach(r -> assertEquals("web-2", r.path("event").path("host").asText(), r.toString()));
        long lines = journal.stream().map(r -> r.path("event"))
                .filter(e -> e.path("type").asText().equals("log") && e.path("message").asText().startsWith("line "))
                .count();
        assertEquals(40, lines, "20 lines x 2 repetitions of web-2, each once");

        JsonNode summary = JSON.readTree(runDir.resolve("summary.json").toFile());
        List<String> rowHosts = StreamSupport.stream(summary.path("state").spliterator(), false)
                .map(r -> r.path("host").asText()).distinct().toList();
        assertEquals(List.of("web-2"), rowHosts, summary.path("state").toString());
        assertEquals(journal.size(), summary.path("events").path("accepted").asLong());
        assertEquals("complete", summary.path("completeness").path("verdict").asText(), run.out());
        assertEquals(List.of("web-2"), StreamSupport.stream(JSON.readTree(runDir.resolve("run.json").toFile())
                .path("hosts").spliterator(), false).map(JsonNode::asText).toList());
        assertTrue(Files.isDirectory(runDir.resolve("artifacts/web-2")));
        assertFalse(Files.exists(runDir.resolve("artifacts/web-1")), "web-1 is not collected: it was not in the run");

        assertEquals(0, targets.get("web-2").exec("test", "-d", "/root/lb-targets").getExitCode(), "web-2 ran");
        assertEquals(1, targets.get("web-1").exec("test", "-e", "/root/lb-targets").getExitCode(),
                "nothing of the run touched web-1: no setup, no lock, no finish");
    }
}

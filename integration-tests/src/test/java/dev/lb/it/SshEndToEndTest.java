package dev.lb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * lb run against real sshd targets (Testcontainers, one container per host, SSH over loopback), with failures
 * injected. Each test leaves its run directory under integration-tests/target/e2e/ and names it when it fails.
 */
class SshEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final SshTargetsPerTest targets = new SshTargetsPerTest("web-1", "web-2", "web-3");

    private Path config(int reps, String workload) throws IOException {
        Path c = targets.work().resolve("lb.yaml");
        // No system metrics: the tests count every event of a repetition exactly.
        Files.writeString(c, "repetitions: " + reps + "\npoll_interval_s: 1.0\noutput_dir: runs\nmetrics_interval_s: 0\n"
                + "timeouts: {stop_grace_s: 30}\n" + targets.targetsYaml() + "workloads:\n" + workload);
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

    private void awaitOutput(String... texts) throws Exception {
        long deadline = System.currentTimeMillis() + 240_000;
        while (System.currentTimeMillis() < deadline) {
            String out = output();
            if (Stream.of(texts).allMatch(out::contains)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("never saw " + List.of(texts) + " in " + targets.work().resolve("lb-output.txt"));
    }

    private Path runDir() throws IOException {
        try (Stream<Path> s = Files.list(targets.work().resolve("runs"))) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow(); // runs/ also holds history.db
        }
    }

    private List<JsonNode> events() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(runDir().resolve("journal.jsonl"), StandardCharsets.UTF_8)) {
            out.add(JSON.readTree(l).get("event"));
        }
        return out;
    }

    private List<JsonNode> of(String host, String src) throws IOException {
        return events().stream().filter(e -> e.path("host").asText().equals(host) && e.path("src").asText().equals(src))
                .toList();
    }

    private JsonNode summary() throws IOException {
        return JSON.readTree(runDir().resolve("summary.json").toFile());
    }

    private static String ticking(int seconds) {
        return "  - name: load\n    argv: [sh, -c, 'echo started; i=0; while [ $i -lt " + seconds * 10
                + " ]; do echo tick $i; sleep 0.1; i=$((i+1)); done']\n";
    }

    @Test
    void threeTargetsFiveThousandEventsThreeRepetitionsEachExactlyOnce() throws Exception {
        Process p = start(config(3, "  - name: burst\n    argv: [python3, -c, \"import sys\\nfor i in range(5000):"
                + " sys.stdout.write('event %d\\\\n' % i)\"]\n"));
        assertEquals(0, finish(p), output());
        Map<String, Integer> seen = new HashMap<>();
        for (JsonNode e : events()) {
            seen.merge(e.path("host").asText() + "/" + e.path("repetition").asInt() + "/" + e.path("src").asText() + "/"
                    + e.path("seq").asLong(), 1, Integer::sum);
        }
        assertTrue(seen.values().stream().allMatch(n -> n == 1), "duplicates in the journal of " + runDir());
        for (String host : List.of("web-1", "web-2", "web-3")) {
            for (int rep = 1; rep <= 3; rep++) {
                for (int seq = 1; seq <= 5002; seq++) {
                    assertTrue(seen.containsKey(host + "/" + rep + "/agent/" + seq), host + " rep " + rep + " seq " + seq
                            + " missing from " + runDir());
                }
            }
            assertTrue(output().contains(host + " burst 3/3 done agent rc=0"), "plain output shows " + host);
            assertTrue(output().contains(host + " burst 2/3 INFO agent event 4999"));
        }
        assertEquals(0, summary().path("gaps").size());
    }

    @Test
    void agentKilledOnOneTargetFailsThatRepetitionWithItsLastLinesAndKillsItsWorkload() throws Exception {
        Process p = start(config(1, ticking(8)));
        awaitOutput("web-1 load 1/1 INFO agent tick 5", "web-2 load 1/1 INFO agent tick 5", "web-3 load 1/1 INFO agent tick 5");
        var kill = targets.get("web-2").exec("pkill", "-9", "-f", "lb-agent.jar");
        assertEquals(0, kill.getExitCode(), kill.getStderr());
        assertEquals(3, finish(p), "web-2's repetition has no seal: completeness cannot be shown\n" + output());
        assertTrue(output().contains("web-2 load rep 1: not sealed"), output());
        String ps = targets.get("web-2").exec("ps", "-eo", "args").getStdout();
        assertTrue(!ps.contains("tick"), "the dead agent's workload was killed:\n" + ps);
        List<JsonNode> web2 = events().stream().filter(e -> e.path("host").asText().equals("web-2")).toList();
        JsonNode last = web2.get(web2.size() - 1);
        assertEquals("failed", last.path("status").asText(), runDir().toString());
        assertEquals("agent_died", last.path("error_type").asText());
        assertTrue(last.path("message").asText().contains("the agent died"), last.toString());
        assertTrue(last.path("error_context").path("last_lines").size() > 0, last.toString());
        for (String other : List.of("web-1", "web-3")) {
            List<JsonNode> agent = of(other, "agent");
            assertEquals("done", agent.get(agent.size() - 1).path("status").asText(), other + " unaffected");
        }
    }

    @Test
    void targetStoppedMidRunIsReportedPromptlyAndTheOthersFinish() throws Exception {
        // A killed target refuses every new connection: its poll is retried for timeouts.unreachable_retry_s (an SSH
        // blip survived looks the same at first), then the host is unreachable with that cause.
        Path cfg = config(1, ticking(20));
        Files.writeString(cfg, Files.readString(cfg).replace("timeouts: {stop_grace_s: 30}",
                "timeouts: {stop_grace_s: 30, unreachable_retry_s: 15}"));
        Process p = start(cfg);
        awaitOutput("web-1 load 1/1 INFO agent tick 3", "web-2 load 1/1 INFO agent tick 3", "web-3 load 1/1 INFO agent tick 3");
        long killedAt = System.currentTimeMillis();
        var c = targets.get("web-3").container();
        c.getDockerClient().killContainerCmd(c.getContainerId()).exec();
        assertEquals(3, finish(p), "web-3's stream file cannot be collected: cannot tell\n" + output());
        assertTrue(output().contains("cannot tell: web-3 load rep 1"), output());
        JsonNode report = events().stream().filter(e -> e.path("host").asText().equals("web-3")
                && (e.path("status").asText().equals("unreachable") || e.path("status").asText().equals("failed")))
                .findFirst().orElseThrow(() -> new AssertionError("web-3 not reported in " + targets.work()));
        double reportedAfter = report.path("ts").asDouble() - killedAt / 1000.0;
        assertTrue(reportedAfter > 12 && reportedAfter < 75, "reported " + reportedAfter + " s after the kill, past the"
                + " 15 s of retries: " + report);
        assertTrue(report.path("message").asText().contains("the poll's connection failed"), report.toString());
        for (String other : List.of("web-1", "web-2")) {
            List<JsonNode> agent = of(other, "agent");
            assertEquals("done", agent.get(agent.size() - 1).path("status").asText(), other + " finished");
        }
        assertTrue(output().contains("web-3"), output());
    }

    @Test
    void chattyRepetitionsPastTheirDeadlineTimeOutOnEveryTargetWithEveryEventWrittenJournalled() throws Exception {
        Path cfg = config(1, "  - name: chatty\n    argv: [python3, -c, \"import time\\nfor i in range(1, 6001):\\n"
                + "  print('line %d' % i, flush=True)\\n  time.sleep(1/300)\\n\"]\n");
        Files.writeString(cfg, Files.readString(cfg).replace("timeouts: {stop_grace_s: 30}",
                "timeouts: {stop_grace_s: 30, repetition_s: 8}"));
        Process p = start(cfg);
        assertEquals(1, finish(p), "timed out, nothing lost\n" + output());
        assertEquals("complete", summary().path("completeness").path("verdict").asText(), output());
        for (var t : targets.all()) {
            List<JsonNode> agent = of(t.name(), "agent");
            JsonNode last = agent.get(agent.size() - 1);
            assertEquals(List.of("timeout", "repetition_timeout"), List.of(last.path("status").asText(),
                    last.path("error_type").asText()), t.name() + " in " + runDir());
            long written = Files.readAllLines(runDir().resolve("artifacts").resolve(t.name())
                    .resolve("lb_events.stream.log")).stream().filter(l -> l.contains("LB_EVENT")).count();
            assertEquals(written, agent.size(), t.name() + ": every event its stream file holds");
            assertEquals(written, last.path("seal").path("agent").path("count").asLong(), t.name() + " sealed");
            // How far a repetition gets in 8 s depends on the machine's load (three agents starting on two cores);
            // what matters is that its workload printed and was stopped before its 6,000 lines.
            long printed = agent.stream().filter(e -> e.path("message").asText().startsWith("line ")).count();
            assertTrue(printed > 0 && written < 6003, t.name() + " stopped part-way: " + written + " events, "
                    + printed + " lines printed");
        }
    }

    @Test
    void twoInventoryNamesForOneSshTargetNeverShareAFile() throws Exception {
        SshTargets.Target web1 = targets.get("web-1");
        Path cfg = config(2, "  - name: burst\n    argv: [python3, -c, \"for i in range(2000): print('event', i)\"]\n");
        String yaml = Files.readString(cfg);
        String web1Line = yaml.lines().filter(l -> l.contains("name: web-1,")).findFirst().orElseThrow();
        Files.writeString(cfg, yaml.replace(web1Line + "\n", web1Line + "\n" + web1Line.replace("web-1,", "web-1-again,")
                + "\n"));
        Process p = start(cfg);
        assertEquals(0, finish(p), output());
        assertTrue(output().contains("hosts web-1, web-1-again are one machine and user (root@127.0.0.1:" + web1.port()),
                output());
        for (String host : List.of("web-1", "web-1-again", "web-2", "web-3")) {
            Map<String, Integer> seen = new HashMap<>();
            for (JsonNode e : events()) {
                if (e.path("host").asText().equals(host) && e.path("repetition").asInt() >= 1) { // not the system event
                    seen.merge(e.path("repetition").asInt() + "/" + e.path("src").asText() + "/" + e.path("seq").asLong(),
                            1, Integer::sum);
                }
            }
            assertEquals(2 * 2003, seen.size(), host + ": running, 2,000 lines, the timed result, done, twice");
            assertTrue(seen.values().stream().allMatch(n -> n == 1), host + ": exactly once");
        }
    }

    @Test
    void sigintStopsEveryTargetAndLeavesNoProcessBehind() throws Exception {
        String marker = "lbmark-" + UUID.randomUUID();
        Process p = start(config(2, "  - name: long\n    argv: [sh, -c, 'echo started; sleep 600', " + marker + "]\n"));
        awaitOutput("web-1 long 1/2 INFO agent started", "web-2 long 1/2 INFO agent started", "web-3 long 1/2 INFO agent started");
        LbProcess.interrupt(p.toHandle());
        assertEquals(130, finish(p), output());
        for (var t : targets.all()) {
            List<JsonNode> agent = of(t.name(), "agent");
            JsonNode last = agent.get(agent.size() - 1);
            assertEquals("stopped", last.path("status").asText(), t.name() + " in " + runDir());
            assertEquals(1, last.path("repetition").asInt(), "no second repetition started on " + t.name());
            String ps = t.exec("ps", "-eo", "args").getStdout();
            assertTrue(!ps.contains(marker) && !ps.contains("lb-agent.jar"), t.name() + " still runs:\n" + ps);
        }
    }

    @Test
    void garbageInAStreamFileIsRejectedWithReasonsAndValidEventsAllArrive() throws Exception {
        String garbage = "import sys\\n"
                + "f = open('lb_events.stream.log', 'ab')\\n"
                + "f.write(b'LB_EVENT {\\\"host\\\": broken json}\\\\n')\\n"
                + "f.write(bytes([0, 255, 254, 1, 2, 128]) + b' binary garbage\\\\n')\\n"
                + "f.write(b'LB_EVENT {\\\"host\\\": \\\"' + b'x' * 2000000 + b'\\\\n')\\n"
                + "f.close()\\n"
                + "for i in range(100): print('valid', i)\\n";
        Process p = start(config(1, "  - name: messy\n    argv: [python3, -c, \"" + garbage + "\"]\n"));
        assertEquals(0, finish(p), output());
        for (var t : targets.all()) {
            List<String> valid = of(t.name(), "agent").stream().map(e -> e.path("message").asText())
                    .filter(m -> m.startsWith("valid ")).toList();
            assertEquals(100, valid.size(), t.name() + " in " + runDir());
        }
        JsonNode rejected = summary().path("rejected");
        assertEquals(3, rejected.path("malformed JSON").asInt(), rejected.toString());
        assertEquals(3, rejected.path("truncated JSON").asInt(), rejected.toString());
        assertTrue(summary().path("transport").path("stream_lines_skipped").asInt() >= 3, summary().toString());
        assertEquals("done", summary().path("outcome").asText());
    }

    @Test
    void shellAndTerminalSpecialCharactersArriveByteForByteAndNothingRuns() throws Exception {
        String message = "quote ' double \" semi ; dollar $(touch /tmp/lb-canary) back `touch /tmp/lb-canary` "
                + "slash \\ braces {} esc \u001b[31m end";
        Process p = start(config(1, "  - name: specials\n    argv: [printf, '%s\\n', " + JSON.writeValueAsString(message)
                + "]\n"));
        assertEquals(0, finish(p), output());
        for (var t : targets.all()) {
            assertTrue(of(t.name(), "agent").stream().anyMatch(e -> e.path("message").asText().equals(message)),
                    t.name() + " in " + runDir());
            assertEquals(1, t.exec("test", "-e", "/tmp/lb-canary").getExitCode(), "nothing ran on " + t.name());
        }
        assertTrue(Files.notExists(Path.of("/tmp/lb-canary")), "nothing ran on the controller");
        assertTrue(!output().contains("\u001b[31m"), "the escape sequence never reaches the terminal");
    }
}

package dev.lb.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Exactly once on the path real benchmarks take, through the real {@code ./lb} and ansible-playbook on local
 * targets: a chatty repetition, a deadline, a killed agent, a killed controller and {@code lb recover}, a double
 * Ctrl-C, a failing poll step, a huge line, a reused run id. Every test counts events: what the target's stream
 * file holds (collected into artifacts/) against what the journal holds. Run directories are left under
 * integration-tests/target/e2e/.
 */
class DeliveryEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** ~300 lines a second from a Python loop: what a chatty benchmark prints. */
    private static final String CHATTY = "import time\nfor i in range(1, %d):\n  print('line %%d' %% i, flush=True)\n"
            + "  time.sleep(1/300)\n";

    private Path work;

    @BeforeEach
    void setUp(TestInfo info) throws IOException {
        work = RunFiles.workDir(info);
        Files.createDirectories(work);
    }

    /** System metrics off: these scenarios count the workload's events exactly (the SSH tests sample them). */
    private Path config(String name, String body) throws IOException {
        Path c = work.resolve(name);
        Files.writeString(c, "poll_interval_s: 1.0\noutput_dir: runs\nmetrics_interval_s: 0\n" + body);
        return c;
    }

    /** One local host with a target root of this test's own: no other run on this machine shares its lease. */
    private String ownLocal() {
        return "targets:\n  target_root: " + work.resolve("targets") + "\n  hosts:\n    - {name: local, connection: local}\n";
    }

    private static String local(String... hosts) {
        StringBuilder b = new StringBuilder("targets:\n  hosts:\n");
        for (String h : hosts) {
            b.append("    - {name: ").append(h).append(", connection: local}\n");
        }
        return b.toString();
    }

    private Path onlyRunDir(String outputDir) throws IOException {
        return RunFiles.onlyRunDir(work.resolve(outputDir));
    }

    private static List<JsonNode> journal(Path runDir) throws IOException {
        return RunFiles.journal(runDir);
    }

    /** host/workload/rep/src/seq of every event in the target's collected stream file. */
    private static List<String> streamFile(Path runDir, String host) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String l : Files.readAllLines(runDir.resolve("artifacts").resolve(host).resolve("lb_events.stream.log"),
                StandardCharsets.UTF_8)) {
            int at = l.indexOf("LB_EVENT ");
            if (at >= 0) {
                ids.add(id(JSON.readTree(l.substring(at + 9))));
            }
        }
        return ids;
    }

    private static String id(JsonNode e) {
        return e.path("host").asText() + "/" + e.path("workload").asText() + "/" + e.path("repetition").asInt() + "/"
                + e.path("src").asText() + "/" + e.path("seq").asLong();
    }

    /** Every event of the stream file is in the journal exactly once. */
    private static void assertJournalHoldsTheStreamFileOnce(Path runDir, String host) throws IOException {
        Map<String, Integer> journalled = new HashMap<>();
        for (JsonNode r : journal(runDir)) {
            journalled.merge(id(r.get("event")), 1, Integer::sum);
        }
        List<String> onTarget = streamFile(runDir, host);
        assertFalse(onTarget.isEmpty(), "the stream file was collected");
        List<String> missing = onTarget.stream().filter(i -> !journalled.containsKey(i)).toList();
        assertEquals(List.of(), missing.subList(0, Math.min(10, missing.size())), missing.size() + " of "
                + onTarget.size() + " events of the stream file are not in the journal");
        assertTrue(journalled.values().stream().allMatch(n -> n == 1), "exactly once");
    }

    private static JsonNode summary(Path runDir) throws IOException {
        return JSON.readTree(runDir.resolve("summary.json").toFile());
    }

    private static JsonNode lastAgentEvent(Path runDir, int rep) throws IOException {
        List<JsonNode> agent = journal(runDir).stream().map(j -> j.get("event"))
                .filter(e -> e.path("repetition").asInt() == rep && e.path("status").asText().matches(
                        "done|failed|stopped|timeout")).toList();
        assertFalse(agent.isEmpty(), "a final event for rep " + rep);
        return agent.get(agent.size() - 1);
    }

    private Process start(Path cfg, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "-c", cfg.toString(), "--output", "plain"));
        args.addAll(List.of(extra));
        return LbProcess.builder(work, Map.of(), args.toArray(String[]::new)).redirectErrorStream(true)
                .redirectOutput(work.resolve("lb-output.txt").toFile()).start();
    }

    private String output() throws IOException {
        Path f = work.resolve("lb-output.txt");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    private void awaitOutput(String text) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (!output().contains(text)) {
            assertTrue(System.currentTimeMillis() < deadline, "waited for '" + text + "':\n" + output());
            Thread.sleep(50);
        }
    }

    private static List<Long> processesWith(String text) {
        List<Long> out = new ArrayList<>();
        ProcessHandle.allProcesses().filter(h -> h.info().arguments().map(a -> String.join(" ", a).contains(text))
                .orElse(false)).forEach(h -> out.add(h.pid()));
        return out;
    }

    private static void awaitNoProcessWith(String text, int seconds) throws InterruptedException {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!processesWith(text).isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(List.of(), processesWith(text), "processes still running with '" + text + "'");
    }

    @Test
    void aChattyRepetitionWithinItsDeadlineIsJournalledCompletely() throws Exception {
        Path cfg = config("chatty.yaml", "timeouts: {repetition_s: 60}\n" + local("local")
                + "workloads:\n  - name: chatty\n    argv: [python3, -c, " + JSON.writeValueAsString(CHATTY.formatted(12_001))
                + "]\n");
        LbProcess r = LbProcess.runIn(work, Map.of(), null, "run", "-c", cfg.toString(), "--output", "plain");
        assertEquals(0, r.exitCode(), r.out().lines().skip(Math.max(0, r.out().lines().count() - 30))
                .reduce("", (a, b) -> a + b + "\n"));
        Path run = onlyRunDir("runs");
        assertEquals(12_003, streamFile(run, "local").size(), "running + 12,000 lines + the timed result + done");
        assertJournalHoldsTheStreamFileOnce(run, "local");
        JsonNode s = summary(run);
        assertEquals(12_003 + 1, s.path("events").path("accepted").asLong(), "and the system event");
        assertEquals("complete", s.path("completeness").path("verdict").asText());
        assertEquals(1, s.path("completeness").path("sealed_repetitions").asInt());
    }

    @Test
    void aChattyRepetitionPastItsDeadlineTimesOutWithEveryEventItWroteJournalled() throws Exception {
        String marker = "lbchatty-" + UUID.randomUUID();
        Path cfg = config("chatty.yaml", "timeouts: {repetition_s: 10, stop_grace_s: 10}\n" + local("local")
                + "workloads:\n  - name: chatty\n    argv: [python3, -c, " + JSON.writeValueAsString(CHATTY.formatted(9_001))
                + ", " + marker + "]\n");
        long t0 = System.nanoTime();
        LbProcess r = LbProcess.runIn(work, Map.of(), null, "run", "-c", cfg.toString(), "--output", "plain");
        assertEquals(1, r.exitCode(), r.out());
        Path run = onlyRunDir("runs");
        JsonNode last = lastAgentEvent(run, 1);
        assertEquals(List.of("timeout", "repetition_timeout"), List.of(last.path("status").asText(),
                last.path("error_type").asText()), last.toString());
        int written = streamFile(run, "local").size();
        assertTrue(written > 500 && written < 9_003, "stopped part-way: " + written);
        assertJournalHoldsTheStreamFileOnce(run, "local");
        assertEquals(written + 1, summary(run).path("events").path("accepted").asLong(), "and the system event");
        assertEquals("complete", summary(run).path("completeness").path("verdict").asText());
        assertTrue(r.out().contains("1 repetition did not end done: 1 timeout"), r.out());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(60), "stopped at the deadline, not at the end");
        awaitNoProcessWith(marker, 5);
    }

    @Test
    void aQuietWorkloadPastItsDeadlineIsStopped() throws Exception {
        String marker = "lbquiet-" + UUID.randomUUID();
        Path cfg = config("quiet.yaml", "timeouts: {repetition_s: 5}\n" + local("local")
                + "workloads:\n  - name: quiet\n    argv: [sh, -c, 'echo started; sleep 600', " + marker + "]\n");
        LbProcess r = LbProcess.runIn(work, Map.of(), null, "run", "-c", cfg.toString(), "--output", "plain");
        assertEquals(1, r.exitCode(), r.out());
        Path run = onlyRunDir("runs");
        JsonNode last = lastAgentEvent(run, 1);
        assertEquals("timeout", last.path("status").asText(), last.toString());
        assertEquals("repetition_timeout", last.path("error_type").asText(), last.toString());
        assertEquals(5.0, last.path("error_context").path("limit_s").asDouble(), 0.0, "the limit is named: " + last);
        assertJournalHoldsTheStreamFileOnce(run, "local");
        awaitNoProcessWith(marker, 5);
    }

    @Test
    void anAgentKilledWhileItsWorkloadSleepsLeavesNoProcessAndSaysSo() throws Exception {
        String marker = "lborphan-" + UUID.randomUUID();
        Path cfg = config("orphan.yaml", local("local")
                + "workloads:\n  - name: sleeper\n    argv: [sh, -c, 'echo started; sleep 600', " + marker + "]\n");
        Process lb = start(cfg);
        awaitOutput("INFO agent started");
        List<Long> agents = processesWith("lb-agent.jar run");
        assertEquals(1, agents.size(), "one agent: " + agents);
        new ProcessBuilder("kill", "-9", Long.toString(agents.get(0))).start().waitFor();
        assertTrue(lb.waitFor(120, TimeUnit.SECONDS), output());
        assertEquals(3, lb.exitValue(), "a repetition without its seal: completeness cannot be shown\n" + output());
        awaitNoProcessWith(marker, 5);
        Path run = onlyRunDir("runs");
        JsonNode crash = lastAgentEvent(run, 1);
        assertEquals(List.of("failed", "agent_died", "poll"), List.of(crash.path("status").asText(),
                crash.path("error_type").asText(), crash.path("src").asText()));
        assertTrue(crash.path("message").asText().contains("workload killed: its agent died"), crash.toString());
        assertJournalHoldsTheStreamFileOnce(run, "local");
        assertTrue(output().contains("not sealed"), output());
        LbProcess doctor = LbProcess.runIn(work, Map.of(), null, "doctor", "--run", run.toString());
        assertEquals(3, doctor.exitCode(), "no seal: doctor cannot say nothing was lost\n" + doctor.out());
        assertTrue(doctor.out().contains("cannot tell for local sleeper rep 1: not sealed"), doctor.out());
    }

    @Test
    void aKilledControllerLeavesNoProcessBehindAndLbRecoverFinishesTheRun() throws Exception {
        Path cfg = config("slow.yaml", "repetitions: 2\n" + local("local") + "workloads:\n  - name: slow\n"
                + "    argv: [sh, -c, 'i=0; while [ $i -lt 40 ]; do echo line $i; i=$((i+1)); sleep 0.2; done']\n");
        Process lb = start(cfg);
        awaitOutput("INFO agent line 5");
        Path run = onlyRunDir("runs");
        new ProcessBuilder("kill", "-9", Long.toString(lb.pid())).start().waitFor();
        lb.waitFor(10, TimeUnit.SECONDS);
        // Nothing the controller started lives on: ansible-playbook and its workers all name the run directory.
        awaitNoProcessWith(run.toString(), 5);
        assertTrue(Files.notExists(run.resolve("summary.json")), "the run is unfinished");
        LbProcess unfinished = LbProcess.runIn(work, Map.of(), null, "journal", "summary", run.toString());
        assertEquals(3, unfinished.exitCode());
        assertTrue(unfinished.err().contains("lb recover"), unfinished.err());
        LbProcess doctor = LbProcess.runIn(work, Map.of(), null, "doctor", "--run", run.toString());
        assertEquals(3, doctor.exitCode(), "cannot tell before recovery\n" + doctor.out());
        assertTrue(doctor.out().contains("lb recover"), doctor.out());
        // The detached agent finishes its repetition on the target meanwhile.
        Thread.sleep(9_000);
        LbProcess recover = LbProcess.runIn(work, Map.of(), null, "recover", run.toString());
        assertEquals(1, recover.exitCode(), "rep 2 never ran: skipped\n" + recover.out() + recover.err());
        assertJournalHoldsTheStreamFileOnce(run, "local");
        JsonNode s = summary(run);
        assertEquals(44, s.path("events").path("accepted").asLong(),
                "running + 40 lines + the timed result + done of rep 1, the system event");
        assertTrue(s.path("events").path("recovered").asLong() > 0, s.toString());
        assertEquals("complete", s.path("completeness").path("verdict").asText(), s.toString());
        assertEquals("done", lastAgentEvent(run, 1).path("status").asText());
        assertTrue(recover.out().contains("2:skipped"), recover.out());
        // Recover exports nothing itself; its last line names the command that does (docs/export.md says why).
        assertTrue(recover.out().contains("`lb export " + s.path("run_id").asText() + " --to KIND=URL`"), recover.out());
        LbProcess again = LbProcess.runIn(work, Map.of(), null, "recover", run.toString());
        assertEquals(1, again.exitCode(), again.out() + again.err());
        assertEquals(44, journal(run).size(), "recovering twice journals nothing twice");
        LbProcess checked = LbProcess.runIn(work, Map.of(), null, "doctor", "--run", run.toString());
        assertEquals(0, checked.exitCode(), "every stage read, rep 1 sealed and complete\n" + checked.out());
    }

    @Test
    void aDoubleCtrlCLeavesTheRunUnfinishedUntilLbRecover() throws Exception {
        Path cfg = config("ctrlc.yaml", local("local") + "workloads:\n  - name: w\n"
                + "    argv: [sh, -c, 'echo started; i=0; while [ $i -lt 30 ]; do echo line $i; i=$((i+1)); sleep 0.1; done']\n");
        Process lb = start(cfg);
        awaitOutput("INFO agent started");
        LbProcess.interrupt(lb.toHandle());
        Thread.sleep(200);
        LbProcess.interrupt(lb.toHandle());
        long second = System.nanoTime();
        assertTrue(lb.waitFor(60, TimeUnit.SECONDS), output());
        long endedMs = (System.nanoTime() - second) / 1_000_000;
        assertEquals(130, lb.exitValue(), output());
        assertTrue(endedMs < 2_000, "a second Ctrl-C ends lb at once: " + endedMs + " ms\n" + output());
        assertTrue(output().contains("lb recover"), output());
        Path run = onlyRunDir("runs");
        JsonNode known = summary(run);
        assertTrue(known.path("unfinished").asBoolean(), "what was known is kept, marked unfinished: " + known);
        assertEquals(130, known.path("exit_code").asInt());
        LbProcess unfinished = LbProcess.runIn(work, Map.of(), null, "journal", "summary", run.toString());
        assertEquals(3, unfinished.exitCode(), unfinished.out());
        assertTrue(unfinished.err().contains("lb recover"), unfinished.err());
        LbProcess before = LbProcess.runIn(work, Map.of(), null, "doctor", "--run", run.toString());
        assertEquals(3, before.exitCode(), "unfinished: cannot tell\n" + before.out());
        Thread.sleep(4_000);
        LbProcess recover = LbProcess.runIn(work, Map.of(), null, "recover", run.toString());
        assertTrue(recover.exitCode() == 0 || recover.exitCode() == 1, recover.out() + recover.err());
        assertJournalHoldsTheStreamFileOnce(run, "local");
        assertEquals("complete", summary(run).path("completeness").path("verdict").asText(), recover.out());
        LbProcess doctor = LbProcess.runIn(work, Map.of(), null, "doctor", "--run", run.toString());
        assertEquals(0, doctor.exitCode(), doctor.out());
    }

    @Test
    void aPollStepFailingOnOneOfTwoHostsLosesNothing() throws Exception {
        // On host 'bad' the workload turns the poll step's offsets file into a directory: its poll fails from then on.
        String script = "echo started; sleep 2; if [ \"$(basename \"$PWD\")\" = bad ]; then rm -f stream.offsets.json;"
                + " mkdir stream.offsets.json; fi; i=0; while [ $i -lt 50 ]; do echo line $i; i=$((i+1)); done; sleep 1";
        Path cfg = config("twohosts.yaml", local("good", "bad") + "workloads:\n  - name: w\n    argv: [sh, -c, "
                + JSON.writeValueAsString(script) + "]\n");
        LbProcess r = LbProcess.runIn(work, Map.of(), null, "run", "-c", cfg.toString(), "--output", "plain");
        assertEquals(1, r.exitCode(), "the failed task makes the run fail, not lose anything\n" + r.out());
        Path run = onlyRunDir("runs");
        assertJournalHoldsTheStreamFileOnce(run, "good");
        assertJournalHoldsTheStreamFileOnce(run, "bad");
        assertEquals(54, streamFile(run, "bad").size(), "running, 51 lines, the timed result, done");
        JsonNode s = summary(run);
        assertTrue(s.path("events").path("recovered").asLong() >= 50, s.path("events").toString());
        assertEquals("complete", s.path("completeness").path("verdict").asText(), r.out());
        assertTrue(r.out().contains("lb_stream_poll failed"), "the poll step's reason is shown\n" + r.out());
    }

    @Test
    void fiveLocalHostsOnOneMachineEachJournalEveryEventOnce() throws Exception {
        List<String> hosts = List.of("l1", "l2", "l3", "l4", "l5");
        Path cfg = config("five.yaml", local(hosts.toArray(String[]::new)) + "workloads:\n  - name: w\n    argv: [python3, -c, "
                + JSON.writeValueAsString("for i in range(5000): print('line', i)") + "]\n");
        LbProcess r = LbProcess.runIn(work, Map.of(), null, "run", "-c", cfg.toString(), "--output", "plain");
        assertEquals(0, r.exitCode(), r.out().substring(Math.max(0, r.out().length() - 3000)));
        assertTrue(r.out().contains("hosts l1, l2, l3, l4, l5 are one machine and user"), "said up front");
        Path run = onlyRunDir("runs");
        for (String h : hosts) {
            assertEquals(5_003, streamFile(run, h).size(), h + ": its own stream file, nobody else's lines");
            assertJournalHoldsTheStreamFileOnce(run, h);
        }
        assertEquals(5 * (5_003 + 1), summary(run).path("events").path("accepted").asLong(), "each host's system event too");
    }

    @Test
    void aSecondRunOnABusyTargetIsRefusedNamingTheHolderOrWaitsForIt() throws Exception {
        // Long enough that the waiting run (started after the refused one) still finds the target held.
        String body = local("local") + "workloads:\n  - name: w\n    argv: [sh, -c, 'echo started; sleep 25; echo end']\n";
        Process first = start(config("busy.yaml", body));
        try {
            refusedThenWaited(first);
        } finally {
            first.destroyForcibly();
        }
    }

    private void refusedThenWaited(Process first) throws Exception {
        awaitOutput("INFO agent started");
        String holder = onlyRunDir("runs").getFileName().toString();
        Path second = work.resolve("second.yaml");
        Files.writeString(second, "output_dir: runs2\n" + local("local")
                + "workloads:\n  - name: w\n    argv: [echo, second]\n");
        LbProcess refused = LbProcess.runIn(work, Map.of(), null, "run", "-c", second.toString(), "--output", "plain");
        assertEquals(5, refused.exitCode(), refused.out());
        assertTrue(refused.out().contains("this target is in use by run " + holder), refused.out());
        assertTrue(refused.out().contains(": not run: target busy (exit 5) - held by another run: local ("),
                "its own outcome, not failed repetitions\n" + refused.out());
        Files.writeString(second, Files.readString(second).replace("output_dir: runs2", "output_dir: runs3"));
        LbProcess waited = LbProcess.runIn(work, Map.of(), null, "run", "-c", second.toString(), "--output", "plain",
                "--wait-for-targets", "90");
        assertEquals(0, waited.exitCode(), waited.out());
        assertTrue(waited.out().contains("WARNING playbook waiting for this target ("), "said while waiting, with the"
                + " holder\n" + waited.out());
        assertTrue(waited.out().contains("--wait-for-targets): in use by run " + holder), waited.out());
        assertTrue(first.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, first.exitValue(), output());
        JsonNode firstEnd = lastAgentEvent(onlyRunDir("runs"), 1);
        // Its setup said it was waiting (repetition 0); its first repetition's events come after the first run ended.
        double secondStarted = journal(onlyRunDir("runs3")).stream().map(j -> j.get("event"))
                .filter(e -> e.path("repetition").asInt() >= 1).mapToDouble(e -> e.path("ts").asDouble()).min()
                .orElseThrow();
        assertTrue(secondStarted >= firstEnd.path("ts").asDouble(), "the waiting run's workload started after the"
                + " first ended");
    }

    @Test
    void ansiblePlaybookKilledMidRunEndsTheRunWithItsReasonAndLosesNothing() throws Exception {
        Path cfg = config("slow.yaml", local("local") + "workloads:\n  - name: slow\n"
                + "    argv: [sh, -c, 'i=0; while [ $i -lt 40 ]; do echo line $i; i=$((i+1)); sleep 0.2; done']\n");
        Process lb = start(cfg);
        awaitOutput("INFO agent line 5");
        Path run = onlyRunDir("runs");
        List<ProcessHandle> main = ProcessHandle.allProcesses().filter(h -> h.info().arguments()
                .map(a -> String.join(" ", a)).map(a -> a.contains("run_benchmark.yml") && !a.contains("lb_guard"))
                .orElse(false) && h.parent().flatMap(pp -> pp.info().arguments()).map(a -> String.join(" ", a)
                .contains("lb_guard")).orElse(false)).toList();
        assertEquals(1, main.size(), "ansible-playbook's main process: " + main);
        long t0 = System.nanoTime();
        new ProcessBuilder("kill", "-9", Long.toString(main.get(0).pid())).start().waitFor();
        assertTrue(lb.waitFor(60, TimeUnit.SECONDS), output());
        double took = (System.nanoTime() - t0) / 1e9;
        assertTrue(took < 40, "lb ended by itself, " + took + " s after the kill");
        assertEquals(1, lb.exitValue(), output());
        assertTrue(output().contains("ansible-playbook died (signal 9)"), output());
        assertJournalHoldsTheStreamFileOnce(run, "local");
        assertEquals("complete", summary(run).path("completeness").path("verdict").asText(), output());
        awaitNoProcessWith(run.toString(), 5);
    }

    /**
     * ansible-playbook's main process (the one under lb's guard) running run_benchmark.yml for this run (its
     * inventory is in the run directory; other runs on this machine have their own).
     */
    private static ProcessHandle benchmarkPlaybook(Path run) {
        List<ProcessHandle> main = ProcessHandle.allProcesses().filter(h -> h.info().arguments()
                .map(a -> String.join(" ", a)).map(a -> a.contains("run_benchmark.yml") && !a.contains("lb_guard")
                        && a.contains(run.toString()))
                .orElse(false) && h.parent().flatMap(pp -> pp.info().arguments()).map(a -> String.join(" ", a)
                .contains("lb_guard")).orElse(false)).toList();
        assertEquals(1, main.size(), "ansible-playbook's main process: " + main);
        return main.get(0);
    }

    /**
     * Issue 29: ansible-playbook killed, then a double Ctrl-C while finish.yml collects: summary.json said
     * {@code unfinished: false} though no target was collected, and the playbook's death was said nowhere. The run
     * is unfinished (exit 130, doctor "cannot tell"), its reason names both, and lb recover finishes it.
     */
    @Test
    void aKilledPlaybookThenCtrlCWhileCollectingLeavesTheRunUnfinishedSayingBoth() throws Exception {
        Path cfg = config("killctrlc.yaml", ownLocal() + "workloads:\n  - name: slow\n"
                + "    argv: [sh, -c, 'i=0; while [ $i -lt 60 ]; do echo line $i; i=$((i+1)); sleep 0.2; done']\n");
        Process lb = start(cfg);
        awaitOutput("INFO agent line 5");
        Path run = onlyRunDir("runs");
        new ProcessBuilder("kill", "-9", Long.toString(benchmarkPlaybook(run).pid())).start().waitFor();
        awaitOutput("finishing the targets");
        LbProcess.interrupt(lb.toHandle());
        Thread.sleep(200);
        // The second Ctrl-C of a double one. Since setup and finish run without Ansible's module wrapper the first
        // can already have ended the run (the finish playbook it interrupts is that much shorter): then there is
        // nobody left to signal, which is no failure of the run; everything it must have said is checked below.
        if (lb.isAlive()) {
            new ProcessBuilder("kill", "-INT", Long.toString(lb.pid())).start().waitFor();
        }
        assertTrue(lb.waitFor(60, TimeUnit.SECONDS), output());
        assertEquals(130, lb.exitValue(), output());
        JsonNode s = summary(run);
        assertTrue(s.path("unfinished").asBoolean(), "no target was collected: " + s);
        assertTrue(s.path("reason").asText().startsWith("ansible-playbook died (signal 9); then "), s.path("reason")
                .toString());
        assertTrue(s.path("reason").asText().endsWith(" while the targets were being collected"), s.toString());
        assertTrue(output().contains("the run is unfinished: local not collected; `lb recover "), output());
        LbProcess before = LbProcess.runIn(work, Map.of(), null, "doctor", "--run", run.toString());
        assertEquals(3, before.exitCode(), "unfinished: cannot tell\n" + before.out());
        List<String> journalBefore = Files.readAllLines(run.resolve("journal.jsonl"));
        long journalledBefore = journalBefore.size();

        LbProcess recover = LbProcess.runIn(work, Map.of(), null, "recover", run.toString());
        assertTrue(recover.exitCode() == 0 || recover.exitCode() == 1, recover.out() + recover.err());
        assertJournalHoldsTheStreamFileOnce(run, "local");
        assertEquals(journalBefore, Files.readAllLines(run.resolve("journal.jsonl")).subList(0, journalBefore.size()),
                "no accepted event leaves the journal: recover only appends");
        JsonNode after = summary(run);
        assertFalse(after.path("unfinished").asBoolean(), after.toString());
        assertEquals("complete", after.path("completeness").path("verdict").asText(), recover.out());
        LbProcess doctor = LbProcess.runIn(work, Map.of(), null, "doctor", "--run", run.toString());
        assertEquals(0, doctor.exitCode(), doctor.out());
        System.out.printf("kill + double Ctrl-C: %d events in the stream file, %d journalled before recover, %d after"
                + " (%d recovered), lost 0; exit %d, recover exit %d%n", streamFile(run, "local").size(),
                journalledBefore, journal(run).size(), after.path("events").path("recovered").asLong(), lb.exitValue(),
                recover.exitCode());
    }

    /**
     * Issue 29: after lb recover, events that came live by stdout were relabelled "recovered ... (on neither live
     * path)". A controller killed between reading a line of ansible-playbook's stdout (ansible.log is written first)
     * and journalling it leaves such events in ansible.log alone; recover brings them in by that path.
     */
    @Test
    void lbRecoverKeepsTheLivePathOfEventsOnlyAnsibleLogHolds() throws Exception {
        Path cfg = config("stdoutonly.yaml", ownLocal() + "workloads:\n  - name: w\n"
                + "    argv: [sh, -c, 'i=0; while [ $i -lt 20 ]; do echo line $i; i=$((i+1)); done']\n");
        LbProcess r = LbProcess.runIn(work, Map.of(), null, "run", "-c", cfg.toString(), "--output", "plain");
        assertEquals(0, r.exitCode(), r.out());
        Path run = onlyRunDir("runs");
        // As the controller's death leaves it: the agent's events from seq 15 on read from stdout, not journalled,
        // and not in events.jsonl (the callback's file lags behind stdout or was cut).
        java.util.Set<Long> cut = new java.util.TreeSet<>();
        List<String> kept = new ArrayList<>();
        for (String l : Files.readAllLines(run.resolve("journal.jsonl"))) {
            JsonNode e = JSON.readTree(l).get("event");
            if (e.path("src").asText().equals("agent") && e.path("repetition").asInt() == 1
                    && e.path("seq").asLong() >= 15) {
                assertEquals("stdout", JSON.readTree(l).path("path").asText(), "the run journalled it from stdout");
                cut.add(e.path("seq").asLong());
            } else {
                kept.add(l);
            }
        }
        assertEquals(9, cut.size(), "seq 15 to 23: lines 13-19, the result, done");
        Files.write(run.resolve("journal.jsonl"), kept);
        java.util.regex.Pattern seq = java.util.regex.Pattern.compile("\\\\?\"seq\\\\?\":\\s*(\\d+)");
        List<String> jsonl = new ArrayList<>();
        for (String l : Files.readAllLines(run.resolve("events.jsonl"))) {
            java.util.regex.Matcher m = seq.matcher(l);
            boolean agent = l.replace(" ", "").replace("\\\"", "\"").contains("\"src\":\"agent\"");
            if (!(agent && m.find() && cut.contains(Long.parseLong(m.group(1))))) {
                jsonl.add(l);
            }
        }
        Files.write(run.resolve("events.jsonl"), jsonl);
        Files.delete(run.resolve("summary.json"));

        LbProcess recover = LbProcess.runIn(work, Map.of(), null, "recover", run.toString());
        assertEquals(0, recover.exitCode(), recover.out() + recover.err());
        JsonNode events = summary(run).path("events");
        assertEquals(0, events.path("recovered").asLong(), "none came by the stream file alone: " + events);
        assertEquals(cut.size(), events.path("stdout_only").asLong(), events.toString());
        for (JsonNode rec : journal(run)) {
            JsonNode e = rec.get("event");
            if (e.path("src").asText().equals("agent") && cut.contains(e.path("seq").asLong())) {
                assertEquals("stdout", rec.path("path").asText(), "its live path kept: " + rec);
            }
        }
        assertFalse(recover.out().contains("on neither live path"), recover.out());
        assertJournalHoldsTheStreamFileOnce(run, "local");
        System.out.printf("recover keeps the live path: %d events in the stream file, %d journalled, %d cut and brought"
                + " back by stdout, %d recovered, lost 0; exit %d%n", streamFile(run, "local").size(),
                journal(run).size(), cut.size(), events.path("recovered").asLong(), recover.exitCode());
    }

    @Test
    void aMegabyteLineOfControlBytesIsDeliveredTruncated() throws Exception {
        Path cfg = config("huge.yaml", local("local") + "workloads:\n  - name: huge\n    argv: [python3, -c, "
                + JSON.writeValueAsString("import sys; sys.stdout.write('\\x01' * 1000000 + '\\n'); print('after')")
                + "]\n");
        LbProcess r = LbProcess.runIn(work, Map.of(), null, "run", "-c", cfg.toString(), "--output", "plain");
        assertEquals(0, r.exitCode(), r.out().substring(Math.max(0, r.out().length() - 3000)));
        Path run = onlyRunDir("runs");
        JsonNode huge = journal(run).stream().map(j -> j.get("event"))
                .filter(e -> e.path("truncated").asBoolean(false)).findFirst()
                .orElseThrow(() -> new AssertionError("no truncated event in the journal"));
        assertTrue(huge.path("message").asText().startsWith("\u0001\u0001"), "the line's start is kept");
        assertTrue(r.out().contains("\u2026 [truncated: 1,000,000 bytes]"), "the plain view says it was cut");
        assertTrue(journal(run).stream().anyMatch(j -> "after".equals(j.get("event").path("message").asText())));
        assertJournalHoldsTheStreamFileOnce(run, "local");
        assertEquals(0, summary(run).path("transport").path("warnings").size(), "nothing skipped by the poll step");
    }

    /**
     * The target's run directory on a disk that fills up: a tmpfs (root only; skipped otherwise) with room for the
     * agent's jar and about 2 MiB more, a workload printing 20,000 lines at once and then sleeping. The agent must cut
     * its stream file back to whole events, stop the workload, and say why in status.json; the poll step turns that
     * into the repetition's end. The controller's run directory stays on the normal disk.
     */
    @Test
    void aFullTargetDiskEndsTheRepetitionFailedSayingSoWithEveryWrittenEventJournalledOnce() throws Exception {
        Path disk = work.resolve("target-disk");
        Files.createDirectories(disk);
        long jar = Files.size(LbProcess.ROOT.resolve("runner-agent/target/lb-agent.jar"));
        long mib = (jar >> 20) + 3; // the jar, rounded up, and 2 MiB for the stream file: 20,000 events need ~5 MB
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + mib + "m,mode=0700", "tmpfs",
                disk.toString()).redirectErrorStream(true).start();
        boolean mounted = mount.waitFor(10, TimeUnit.SECONDS) && mount.exitValue() == 0;
        Assumptions.assumeTrue(mounted, "cannot mount a tmpfs (needs root): "
                + new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        try {
            fullTargetDisk(disk);
        } finally {
            Process umount = new ProcessBuilder("umount", disk.toString()).inheritIO().start();
            if (!umount.waitFor(10, TimeUnit.SECONDS) || umount.exitValue() != 0) {
                new ProcessBuilder("umount", "-l", disk.toString()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private void fullTargetDisk(Path disk) throws Exception {
        String marker = "lbdiskfull-" + UUID.randomUUID();
        Path cfg = config("full.yaml", "timeouts: {repetition_s: 120}\n" + local("local").replace("targets:\n",
                "targets:\n  target_root: " + disk + "\n  keep_target_dirs: true\n")
                + "workloads:\n  - name: flood\n    argv: [sh, -c, 'seq 1 20000; sleep 600', " + marker + "]\n");
        long t0 = System.nanoTime();
        LbProcess r = LbProcess.runIn(work, Map.of(), null, "run", "-c", cfg.toString(), "--output", "plain");
        double took = (System.nanoTime() - t0) / 1e9;
        String out = r.out() + r.err();
        String tail = out.lines().filter(l -> !l.contains(" INFO agent ")).reduce("", (a, b) -> a + b + "\n");
        assertEquals(1, r.exitCode(), "a repetition failed, and every event it wrote is accounted for\n" + tail);
        assertTrue(out.contains("No space left on device"), tail);
        assertTrue(out.contains("target disk full on local: "), tail);
        Path run = onlyRunDir("runs");
        assertFalse(run.startsWith(disk), "the controller's run directory is on the normal disk");
        JsonNode last = lastAgentEvent(run, 1);
        assertEquals(List.of("failed", "stream_write_failed", "poll"), List.of(last.path("status").asText(),
                last.path("error_type").asText(), last.path("src").asText()), last.toString());

        // The stream file as the target holds it: whole events only, the count the poll event names.
        Path onDisk;
        try (Stream<Path> files = Files.walk(disk)) {
            onDisk = files.filter(f -> f.getFileName().toString().equals("lb_events.stream.log")).findFirst()
                    .orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(onDisk);
        assertTrue(bytes.length > 0 && bytes[bytes.length - 1] == '\n', "no torn line at the end");
        List<String> lines = Files.readAllLines(onDisk, StandardCharsets.UTF_8);
        for (String l : lines) {
            assertTrue(l.startsWith("LB_EVENT {") && l.endsWith("}"), "a whole event: " + l);
            JSON.readTree(l.substring(9));
        }
        int written = lines.size();
        assertTrue(written > 1_000 && written < 20_001, "stopped part-way: " + written);
        assertEquals(written, last.path("events_written").asInt(), last.toString());
        assertTrue(last.path("message").asText().startsWith("target disk full on local: " + written
                + " events written before the stream file could not be written (No space left on device)"), last.toString());
        assertEquals("{\"agent\":{\"last_seq\":" + written + ",\"count\":" + written + "}}",
                last.path("seal").toString(), "the agent's seal counts what the file holds");
        assertArrayEquals(bytes, Files.readAllBytes(run.resolve("artifacts/local/lb_events.stream.log")),
                "the collected stream file is the target's, byte for byte");
        assertJournalHoldsTheStreamFileOnce(run, "local");
        JsonNode s = summary(run);
        assertEquals(written + 2, s.path("events").path("accepted").asLong(), "the stream file, the poll's event and the system event");
        assertEquals("complete", s.path("completeness").path("verdict").asText(), tail);
        awaitNoProcessWith(marker, 5);
        awaitNoProcessWith("lb-agent.jar run --run-dir " + disk, 5);
        System.out.printf("full target disk: %d events written on the target before the failure, %d journalled,"
                + " lb run ended after %.1f s with exit %d; reason: %s%n", written,
                s.path("events").path("accepted").asLong(), took, r.exitCode(), last.path("message").asText());
    }

    @Test
    void aRunIdReusedAfterAnInterruptedRunStartsClean() throws Exception {
        Path cfg = config("reuse.yaml", local("local") + "workloads:\n  - name: w\n"
                + "    argv: [sh, -c, 'echo started; sleep 5; echo end']\n");
        Process first = start(cfg, "--run-id", "reused-" + UUID.randomUUID().toString().substring(0, 8));
        awaitOutput("INFO agent started");
        String runId = onlyRunDir("runs").getFileName().toString();
        LbProcess.interrupt(first.toHandle());
        Thread.sleep(200);
        LbProcess.interrupt(first.toHandle());
        assertTrue(first.waitFor(60, TimeUnit.SECONDS));
        Files.writeString(cfg, Files.readString(cfg).replace("output_dir: runs", "output_dir: runs2"));
        LbProcess second = LbProcess.runIn(work, Map.of(), null, "run", "-c", cfg.toString(), "--run-id", runId,
                "--output", "plain");
        assertEquals(0, second.exitCode(), second.out());
        Path run = onlyRunDir("runs2");
        assertEquals("done", lastAgentEvent(run, 1).path("status").asText());
        assertJournalHoldsTheStreamFileOnce(run, "local");
    }

    @Test
    void eventsOfAnotherRunHostOrWorkloadWrittenIntoAStreamFileAreRejectedOnceAndMakeNoRow() throws Exception {
        String runId = "attrib-" + UUID.randomUUID().toString().substring(0, 8);
        String phantom = "{\"v\":1,\"run_id\":\"%s\",\"host\":\"%s\",\"workload\":\"%s\",\"repetition\":1,"
                + "\"total_repetitions\":1,\"status\":\"running\",\"src\":\"x\",\"seq\":1}";
        String script = "echo started; for p in '" + phantom.formatted("other-run", "local", "w") + "' '"
                + phantom.formatted(runId, "ghost", "w") + "' '" + phantom.formatted(runId, "local", "phantom")
                + "'; do printf 'LB_EVENT %s\\n' \"$p\" >> lb_events.stream.log; done; echo finished";
        Path cfg = config("phantoms.yaml", local("local") + "workloads:\n  - name: w\n    argv: [sh, -c, "
                + JSON.writeValueAsString(script) + "]\n");
        LbProcess r = LbProcess.runIn(work, Map.of(), null, "run", "-c", cfg.toString(), "--output", "plain",
                "--run-id", runId);
        assertEquals(0, r.exitCode(), "the real workload finished done; the phantoms are rejected\n" + r.out() + r.err());
        Path run = onlyRunDir("runs");
        JsonNode s = summary(run);
        assertEquals(Map.of("foreign run", 1, "foreign host", 1, "unknown workload", 1),
                JSON.convertValue(s.path("rejected"), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Integer>>() {
                }), "each phantom is one rejection, whatever paths carried it\n" + s);
        assertEquals(1, s.path("state").size(), "one row: local w\n" + s.path("state"));
        assertTrue(journal(run).stream().noneMatch(j -> j.get("event").path("src").asText().equals("x")),
                "no phantom journalled");
        assertTrue(r.out().contains("unknown workload: workload 'phantom' is not in this run"), r.out());
    }

    @Test
    void aCtrlCDuringSetupStartsNoWorkload() throws Exception {
        String marker = "lbsetup-" + UUID.randomUUID();
        Path cfg = config("setup.yaml", "repetitions: 2\n" + local("local") + "workloads:\n  - name: w\n"
                + "    argv: [sh, -c, 'echo started; sleep 5', " + marker + "]\n");
        Process lb = start(cfg);
        awaitOutput("-- Set up lb targets");
        LbProcess.interrupt(lb.toHandle());
        assertTrue(lb.waitFor(60, TimeUnit.SECONDS), output());
        assertEquals(130, lb.exitValue(), output());
        Path run = onlyRunDir("runs");
        assertTrue(journal(run).stream().map(j -> j.get("event")).noneMatch(e -> e.path("src").asText().equals("agent")),
                "no agent started:\n" + output());
        assertTrue(output().contains("stopped before the first repetition started"), output());
        assertEquals(List.of(), processesWith(marker), "no workload runs");
    }

    /**
     * The terminal or the SSH session to the controller lost (issue 29): the kernel sends SIGHUP to the foreground
     * process group, lb and ansible-playbook's guard alike. Handled as SIGTERM: STOP to the targets, the agents
     * report, the targets are collected, a summary is written, exit 130. Before: exit 129 within 0.3 s, no summary,
     * the targets neither stopped nor collected.
     */
    @Test
    void aHangupStopsTheRunAsSigtermDoesAndCollectsEveryEvent() throws Exception {
        String marker = "lbhup-" + UUID.randomUUID();
        Path cfg = config("hup.yaml", ownLocal() + "workloads:\n  - name: w\n"
                + "    argv: [sh, -c, 'echo started; i=0; while [ $i -lt 600 ]; do echo tick $i; i=$((i+1)); sleep 0.1; done', "
                + marker + "]\n");
        // Its own process group (setsid execs in place: the pid is lb's), as a terminal's foreground job.
        ProcessBuilder pb = LbProcess.builder(work, Map.of(), "run", "-c", cfg.toString(), "--output", "plain");
        pb.command().add(0, "setsid");
        Process lb = pb.redirectErrorStream(true).redirectOutput(work.resolve("lb-output.txt").toFile()).start();
        awaitOutput("INFO agent tick 5");
        new ProcessBuilder("kill", "-HUP", "--", "-" + lb.pid()).start().waitFor();
        assertTrue(lb.waitFor(120, TimeUnit.SECONDS), output());
        assertEquals(130, lb.exitValue(), output());
        assertTrue(output().contains("stopping (SIGHUP (the terminal or session was lost))"), output());
        Path run = onlyRunDir("runs");
        JsonNode s = summary(run);
        assertEquals("interrupted", s.path("outcome").asText(), s.toString());
        assertEquals(130, s.path("exit_code").asInt(), s.toString());
        assertEquals("stopped", lastAgentEvent(run, 1).path("status").asText(), "the agent stopped on STOP");
        assertJournalHoldsTheStreamFileOnce(run, "local");
        assertEquals("complete", s.path("completeness").path("verdict").asText(), s.path("completeness").toString());
        awaitNoProcessWith(marker, 5);
        awaitNoProcessWith(run.toString(), 5);
    }

    /**
     * Issue 29: one ansible-playbook fork worker killed while it polls. ansible-core waits for it for ever; lb printed
     * nothing for minutes and would have until run_s (24 h by default). Now the silent host is said after
     * timeouts.no_answer_warn_s, and past no_answer_end_s the run is ended with it as the reason: STOP, the targets
     * collected, every event journalled. The bounds are the config's (shorter than the defaults, 30 s and 120 s, the
     * retry bound with them so that the loader's rule holds).
     */
    @Test
    void aKilledForkWorkerIsSaidThenEndsTheRunWithItsReason() throws Exception {
        String marker = "lbworker-" + UUID.randomUUID();
        Path cfg = config("worker.yaml", "timeouts: {stop_grace_s: 10, unreachable_retry_s: 10, no_answer_warn_s: 20,"
                + " no_answer_end_s: 50}\n" + ownLocal() + "workloads:\n  - name: w\n"
                + "    argv: [sh, -c, 'echo started; sleep 400', " + marker + "]\n");
        Process lb = start(cfg);
        awaitOutput("INFO agent started");
        Path run = onlyRunDir("runs");
        List<ProcessHandle> workers = List.of();
        for (int i = 0; i < 100 && workers.isEmpty(); i++) {
            workers = ProcessHandle.allProcesses().filter(h -> args(h).contains("run_benchmark.yml")
                    && args(h).contains(run.toString()) && h.parent().map(pp -> args(pp).contains("run_benchmark.yml")
                    && !args(pp).contains("lb_guard")).orElse(false)).toList();
            Thread.sleep(100);
        }
        assertEquals(1, workers.size(), "the poll step's fork worker: " + workers);
        new ProcessBuilder("kill", "-9", Long.toString(workers.get(0).pid())).start().waitFor();
        long t0 = System.nanoTime();
        awaitOutput("no answer from local for 20 s: ansible-playbook may be stuck, or the target's connection down (a"
                + " poll is sent again for up to 10 s); the run is ended if nothing comes within 50 s");
        assertTrue(lb.waitFor(300, TimeUnit.SECONDS), output());
        double took = (System.nanoTime() - t0) / 1e9;
        assertTrue(took > 40 && took < 170, "ended past the second bound, not before: " + took + " s");
        assertEquals(1, lb.exitValue(), output());
        assertTrue(output().contains("no answer from local for 50 s: ansible-playbook is stuck; ending the run: STOP to"
                + " every target, then they are collected"), output());
        JsonNode s = summary(run);
        assertTrue(s.path("reason").asText().startsWith("no answer from local for 50 s: ansible-playbook is stuck"),
                s.path("reason").asText());
        assertJournalHoldsTheStreamFileOnce(run, "local");
        assertEquals("complete", s.path("completeness").path("verdict").asText(), output());
        awaitNoProcessWith(marker, 10);
        awaitNoProcessWith(run.toString(), 10);
    }

    private static String args(ProcessHandle h) {
        return h.info().arguments().map(a -> String.join(" ", a)).orElse("");
    }
}

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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./lb run} as a user runs it, with the real ansible-playbook on localhost. */
class RunEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path onlyRunDir() throws IOException {
        return RunFiles.onlyRunDir(tmp.resolve("runs"));
    }

    private static List<JsonNode> journal(Path runDir) throws IOException {
        return RunFiles.journal(runDir);
    }

    /** Journal entries per (host, workload, rep, src, seq): each must be there exactly once. */
    private static Map<String, Integer> identities(List<JsonNode> journal) {
        Map<String, Integer> ids = new HashMap<>();
        for (JsonNode r : journal) {
            JsonNode e = r.get("event");
            ids.merge(e.path("host").asText() + "/" + e.path("workload").asText() + "/" + e.path("repetition").asInt()
                    + "/" + e.path("src").asText() + "/" + e.path("seq").asLong(), 1, Integer::sum);
        }
        return ids;
    }

    private Path config(String workloads, int reps) throws IOException {
        Path c = tmp.resolve("lb.yaml");
        Files.writeString(c, "repetitions: " + reps + "\npoll_interval_s: 0.5\noutput_dir: runs\nmetrics_interval_s: 0\n"
                + "timeouts: {stop_grace_s: 20}\n"
                + "targets:\n  hosts:\n    - {name: local, connection: local}\nworkloads:\n" + workloads);
        return c;
    }

    @Test
    void quickstartRunsEndToEndAndJournalsEveryEventOnce() throws Exception {
        LbProcess r = LbProcess.runIn(tmp, Map.of(), null, "run");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        Path run = onlyRunDir();
        List<JsonNode> journal = journal(run);
        Map<String, Integer> ids = identities(journal);
        assertTrue(ids.values().stream().allMatch(n -> n == 1), "exactly once: " + ids);
        for (int rep = 1; rep <= 3; rep++) {
            int r0 = rep;
            List<JsonNode> agent = journal.stream().map(j -> j.get("event"))
                    .filter(e -> e.path("repetition").asInt() == r0 && e.path("src").asText().equals("agent")).toList();
            assertEquals("running", agent.get(0).path("status").asText());
            assertEquals("done", agent.get(agent.size() - 1).path("status").asText());
            for (int seq = 1; seq <= agent.size(); seq++) {
                assertTrue(ids.containsKey("localhost/shell-loop/" + rep + "/agent/" + seq), "rep " + rep + " seq " + seq);
            }
            assertEquals(1, agent.stream().filter(e -> e.path("type").asText().equals("result")
                    && e.path("metrics").get(0).path("name").asText().equals("wall_time")).count(),
                    "each repetition is timed: " + agent);
        }
        assertTrue(r.out().contains("localhost shell-loop 1/3 INFO agent counted to 500000"), r.out());
        assertTrue(r.out().contains("localhost shell-loop 3/3 done agent rc=0"), r.out());
        // The run ends with its number: the wall time over the three repetitions, and results.json beside it.
        String tail = r.out().substring(r.out().lastIndexOf("results of run"));
        assertTrue(tail.lines().anyMatch(l -> l.matches("\\s+localhost\\s+wall_time\\s+[0-9.]+ (ms|s) ± [0-9.]+ (ms|s)"
                + "\\s.*\\s3(\\s+!)?\\s*")), "one row: the mean wall time ± its spread over n = 3\n" + tail);
        JsonNode results = JSON.readTree(run.resolve("results.json").toFile());
        assertTrue(results.toString().contains("\"wall_time\""), results.toString());
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals("done", summary.path("outcome").asText());
        assertEquals(journal.size(), summary.path("events").path("accepted").asLong());
        assertEquals(0, summary.path("gaps").size());
        for (String f : List.of("inventory.yml", "vars.json", "ansible.log", "events.jsonl", "journal.jsonl")) {
            assertTrue(Files.exists(run.resolve(f)), f);
        }
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(run)));
        assertTrue(Files.readString(run.resolve("artifacts/localhost/status.json")).contains("\"status\":\"done\""),
                "the target's files are collected into the run directory");
        assertTrue(Files.exists(run.resolve("artifacts/localhost/lb_events.stream.log")));

        LbProcess replay = LbProcess.runIn(tmp, Map.of(), null, "journal", "show", run.getFileName().toString());
        assertEquals(0, replay.exitCode(), replay.err());
        assertTrue(replay.out().contains("localhost shell-loop 3/3 done agent rc=0"), replay.out());
        LbProcess sum = LbProcess.runIn(tmp, Map.of(), null, "journal", "summary", run.toString());
        assertTrue(sum.out().startsWith("run " + run.getFileName() + ": done (exit 0)"), sum.out());
    }

    @Test
    void stdoutPathAloneIsEnoughWhenJsonlIsGone() throws Exception {
        Path cfg = config("  - {name: w, argv: [sh, -c, 'i=0; while [ $i -lt 300 ]; do echo line $i; i=$((i+1)); done']}\n", 2);
        AtomicBoolean done = new AtomicBoolean();
        Thread deleter = new Thread(() -> {
            // Deletes the callback's file as soon as it appears, again and again: the JSONL path carries nothing.
            while (!done.get()) {
                try (Stream<Path> runs = Files.exists(tmp.resolve("runs")) ? Files.list(tmp.resolve("runs")) : Stream.empty()) {
                    for (Path r : runs.toList()) {
                        Files.deleteIfExists(r.resolve("events.jsonl"));
                    }
                } catch (IOException e) {
                    // the run directory is being created while we look; next round
                }
                Thread.onSpinWait();
            }
        });
        deleter.start();
        LbProcess r;
        try {
            r = LbProcess.runIn(tmp, Map.of(), null, "run", "-c", cfg.toString());
        } finally {
            done.set(true);
            deleter.join();
        }
        assertEquals(0, r.exitCode(), r.out() + r.err());
        Path run = onlyRunDir();
        Map<String, Integer> ids = identities(journal(run));
        assertEquals(2 * 303 + 1, ids.size(), "running + 300 lines + the timed result + done, twice, and the system event");
        assertTrue(ids.values().stream().allMatch(n -> n == 1));
        JsonNode events = JSON.readTree(run.resolve("summary.json").toFile()).path("events");
        assertTrue(events.path("stdout_only").asLong() > 0, events.toString());
    }

    @Test
    void jsonlPathAloneIsEnoughWhenStdoutCarriesNothing() throws Exception {
        Path cfg = config("  - {name: w, argv: [sh, -c, 'i=0; while [ $i -lt 300 ]; do echo line $i; i=$((i+1)); done']}\n", 2);
        LbProcess r = LbProcess.runIn(tmp, Map.of("LB_EVENT_ECHO", "0"), null, "run", "-c", cfg.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        Path run = onlyRunDir();
        assertEquals(2 * 303 + 1, identities(journal(run)).size(), "and the system event");
        JsonNode events = JSON.readTree(run.resolve("summary.json").toFile()).path("events");
        assertEquals(2 * 303 + 1, events.path("jsonl_only").asLong(), events.toString());
        assertEquals(0, events.path("stdout_only").asLong());
    }

    @Test
    void sameMessageRepeatedWithDistinctSeqIsJournalledEveryTime() throws Exception {
        Path cfg = config("  - {name: w, argv: [sh, -c, 'i=0; while [ $i -lt 1000 ]; do echo same message; i=$((i+1)); done']}\n", 1);
        LbProcess r = LbProcess.runIn(tmp, Map.of(), null, "run", "-c", cfg.toString(), "--output", "json");
        assertEquals(0, r.exitCode(), r.err());
        long same = journal(onlyRunDir()).stream().filter(j -> "same message".equals(j.get("event").path("message").asText())).count();
        assertEquals(1000, same);
        assertEquals(1004, r.out().lines().count(), "--output json prints each accepted event once (the timed result"
                + " and the system event too); the results table goes to stderr with the summary");
        assertTrue(r.err().contains("wall_time"), r.err());
    }

    @Test
    void seqGapIsReportedWithItsRange() throws Exception {
        String inject = "printf '%s\\n' 'LB_EVENT {\"host\":\"local\",\"workload\":\"gappy\",\"repetition\":1,\"status\":\"running\",\"src\":\"inject\",\"seq\":1}'"
                + " 'LB_EVENT {\"host\":\"local\",\"workload\":\"gappy\",\"repetition\":1,\"status\":\"running\",\"src\":\"inject\",\"seq\":4}'"
                + " >> lb_events.stream.log";
        Path cfg = config("  - name: gappy\n    argv: [sh, -c, " + JSON.writeValueAsString(inject) + "]\n", 1);
        LbProcess r = LbProcess.runIn(tmp, Map.of(), null, "run", "-c", cfg.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        JsonNode gaps = JSON.readTree(onlyRunDir().resolve("summary.json").toFile()).path("gaps");
        assertEquals(1, gaps.size(), gaps.toString());
        assertEquals("inject", gaps.get(0).path("src").asText());
        assertEquals(2, gaps.get(0).path("from").asInt());
        assertEquals(3, gaps.get(0).path("to").asInt());
        assertTrue(r.out().contains("local gappy rep 1 inject: seq 2-3 missing"), r.out());
    }

    @Test
    void ctrlCStopsEveryTargetAndExits130WithNothingLeftBehind() throws Exception {
        String marker = "lbmark-" + UUID.randomUUID();
        Path cfg = config("  - name: long\n    argv: [python3, -c, 'import time; print(\"started\", flush=True); time.sleep(600)', "
                + marker + "]\n", 3);
        Path out = tmp.resolve("out.txt");
        Process p = LbProcess.builder(tmp, Map.of(), "run", "-c", cfg.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        long deadline = System.currentTimeMillis() + 120_000;
        while (!(Files.exists(out) && Files.readString(out).contains("INFO agent started"))
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        LbProcess.interrupt(p.toHandle());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "lb ended after Ctrl-C");
        assertEquals(130, p.exitValue(), Files.readString(out));
        Path run = onlyRunDir();
        List<JsonNode> agent = journal(run).stream().map(j -> j.get("event"))
                .filter(e -> e.path("src").asText().equals("agent")).toList();
        JsonNode last = agent.get(agent.size() - 1);
        assertEquals("stopped", last.path("status").asText(), last.toString());
        assertEquals(1, last.path("repetition").asInt(), "no further repetition started");
        assertTrue(Files.readString(out).contains("sending STOP to every target (stop.yml)"), Files.readString(out));
        List<Long> left = new ArrayList<>();
        ProcessHandle.allProcesses().filter(h -> h.info().arguments().map(a -> String.join(" ", a).contains(marker))
                .orElse(false)).forEach(h -> left.add(h.pid()));
        assertEquals(List.of(), left, "no workload process remains");
    }

    @Test
    void hostileWorkloadNameAndArgumentsAreInertAndDeliveredByteForByte() throws Exception {
        Path canary = tmp.resolve("canary");
        String name = "x; touch " + canary + " $(touch " + canary + ")";
        String message = "quote ' double \" dollar $(touch " + canary + ") `touch " + canary + "` \\ {} \u001b[2J"
                + " $HOME ${PATH} ~root end";
        Path hostileName = config("  - name: " + JSON.writeValueAsString(name) + "\n    argv: [printf, '%s\\n', "
                + JSON.writeValueAsString(message) + "]\n", 1);
        LbProcess refused = LbProcess.runIn(tmp, Map.of(), null, "run", "-c", hostileName.toString());
        assertEquals(2, refused.exitCode(), "a workload name follows the host-name rule\n" + refused.err());
        assertTrue(refused.err().contains("workloads[0].name (line 10): must be letters, digits"), refused.err());
        Path cfg = config("  - name: hostile-args\n    argv: [printf, '%s\\n', " + JSON.writeValueAsString(message)
                + "]\n", 1);
        LbProcess r = LbProcess.runIn(tmp, Map.of(), null, "run", "-c", cfg.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        List<JsonNode> events = journal(onlyRunDir()).stream().map(j -> j.get("event")).toList();
        assertTrue(events.stream().allMatch(e -> e.path("workload").asText().equals("hostile-args")
                || e.path("type").asText().equals("system")), "the workload's events and the target's system event");
        assertTrue(events.stream().anyMatch(e -> e.path("message").asText().equals(message)), "byte for byte");
        assertTrue(Files.notExists(canary), "nothing was executed");
        assertTrue(!r.out().contains("\u001b[2J"), "the escape sequence never reaches the terminal");
    }

    @Test
    void jinjaInAPlanStaysLiteralAndTheWorkloadRunsAtItsNice() throws Exception {
        Path canary = tmp.resolve("canary");
        String argument = "{{ lookup('pipe','touch " + canary + "') }} {% raw %} {#";
        Path cfg = config("  - name: literal\n    argv: [printf, '%s\\n', " + JSON.writeValueAsString(argument) + "]\n"
                + "  - name: niced\n    nice: 9\n    env: {A: \"{{ 7*7 }}\"}\n"
                + "    argv: [sh, -c, 'echo \"nice=$(nice) A=$A\"']\n", 1);
        LbProcess r = LbProcess.runIn(tmp, Map.of(), null, "run", "-c", cfg.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        List<JsonNode> events = journal(onlyRunDir()).stream().map(j -> j.get("event")).toList();
        assertEquals(1, events.stream().filter(e -> e.path("message").asText().equals(argument)).count(),
                "the argument reached the workload as written: " + events);
        assertTrue(Files.notExists(canary), "no lookup ran");
        assertEquals(1, events.stream().filter(e -> e.path("message").asText().equals("nice=9 A={{ 7*7 }}")).count(),
                "the workload ran at nice 9 with its variable untemplated: " + events);
        JsonNode running = events.stream().filter(e -> e.path("workload").asText().equals("niced")
                && e.path("status").asText().equals("running")).findFirst().orElseThrow();
        assertEquals(9, running.path("nice").asInt(), "the running event says the nice: " + running);
    }

    @Test
    void anExistingInventoryFileIsATargetList() throws Exception {
        Path inv = tmp.resolve("hosts.ini");
        Files.writeString(inv, "[bench]\nmachine-a ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n");
        Path cfg = tmp.resolve("inv.yaml");
        Files.writeString(cfg, "output_dir: runs\ntargets: {inventory: hosts.ini}\n"
                + "workloads: [{name: w, argv: [echo, from the inventory]}]\n");
        LbProcess r = LbProcess.runIn(tmp, Map.of(), null, "run", "-c", cfg.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("machine-a w 1/1 INFO agent from the inventory"), r.out());
        assertTrue(r.out().contains("1 host(s)"), r.out());
    }

    @Test
    void containerExitsOnTheTargetReachTheJournal() throws Exception {
        String id = "lbt-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        String script = "r=$(mktemp -d); mkdir -p $r/bin $r/proc $r/sys $r/dev $r/tmp; cp /bin/busybox $r/bin/; ln -s busybox $r/bin/sh;"
                + " ctr run --rm --rootfs $r " + id + " /bin/sh -c 'exit 3'; echo container rc $?; rm -rf $r";
        Path cfg = tmp.resolve("containers.yaml");
        Files.writeString(cfg, "poll_interval_s: 0.5\noutput_dir: runs\nmetrics_interval_s: 0\ntargets: {hosts: [{name: local, connection: local}]}\n"
                + "containers: {id_pattern: 'lbt-e2e-.*'}\n"
                + "workloads:\n  - name: fn\n    argv: [sh, -c, " + JSON.writeValueAsString(script) + "]\n");
        LbProcess r = LbProcess.runIn(tmp, Map.of(), null, "run", "-c", cfg.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        List<JsonNode> events = journal(onlyRunDir()).stream().map(j -> j.get("event")).toList();
        assertTrue(events.stream().anyMatch(e -> e.path("message").asText().equals("container rc 3")), r.out());
        JsonNode exit = events.stream().filter(e -> "container".equals(e.path("type").asText())
                && e.path("message").asText().contains(id + " exited")).findFirst()
                .orElseThrow(() -> new AssertionError("no container event in the journal:\n" + r.out()));
        assertEquals(3, exit.path("exit_code").asInt());
        assertEquals("containers", exit.path("src").asText());
        assertTrue(r.out().contains("local fn 1/1 done"), "the watcher's events leave the run's state alone: " + r.out());
    }

    @Test
    void badConfigExitsTwoNamingKeyPathAndLine() throws Exception {
        Path cfg = tmp.resolve("bad.yaml");
        Files.writeString(cfg, "repetitions: -1\ntargets: {hosts: [{name: a, connection: local}]}\nworkloads: [{name: w}]\n");
        LbProcess r = LbProcess.runIn(tmp, Map.of(), null, "run", "-c", cfg.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("repetitions (line 1): is -1; expected an integer from 1 to 100000"), r.err());
        assertTrue(r.err().contains("workloads[0].argv (line 3): a command workload needs argv"), r.err());
        assertTrue(Files.notExists(tmp.resolve("runs")), "nothing was started");
    }

    @Test
    void oneWorkloadOfTheConfigWithOtherRepetitionsThenListedAndReadAsLast() throws Exception {
        Path cfg = config("  - name: a\n    argv: [echo, from-a]\n  - name: b\n    argv: [echo, from-b]\n", 3);
        LbProcess r = LbProcess.runIn(tmp, Map.of(), null, "run", "-c", cfg.toString(), "--output", "plain",
                "--workload", "b", "--repetitions", "1");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        Path run = onlyRunDir();
        List<JsonNode> journal = journal(run);
        assertTrue(journal.stream().map(j -> j.get("event")).noneMatch(e -> e.path("workload").asText().equals("a")),
                "workload a did not run");
        assertTrue(journal.stream().map(j -> j.get("event")).allMatch(e -> e.path("repetition").asInt() <= 1),
                "one repetition");
        assertTrue(r.out().contains("local b 1/1 INFO agent from-b"), r.out());
        LbProcess runs = LbProcess.runIn(tmp, Map.of(), null, "runs");
        assertEquals(0, runs.exitCode(), runs.err());
        assertTrue(runs.out().lines().skip(1).findFirst().orElse("").startsWith(run.getFileName().toString()), runs.out());
        LbProcess last = LbProcess.runIn(tmp, Map.of(), null, "journal", "summary", "last");
        assertEquals(0, last.exitCode(), last.err());
        assertTrue(last.out().startsWith("run " + run.getFileName() + ": done (exit 0)"), last.out());
        LbProcess unknown = LbProcess.runIn(tmp, Map.of(), null, "run", "-c", cfg.toString(), "--workload", "zz");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("--workload zz: not in the config; its workloads are a, b"), unknown.err());
    }
}

package dev.lb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * lb run --slices 2 against three real sshd targets: two ansible-playbook processes (web-1 and web-2, then web-3),
 * one journal in which every event of every host is exactly once, one summary, and lb doctor --run naming the slices.
 */
class SlicesEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LINES = 200;
    private static final int REPETITIONS = 2;

    private Path work;
    private SshTargets targets;

    @BeforeEach
    void setUp(TestInfo info) throws Exception {
        work = LbProcess.ROOT.resolve("integration-tests/target/e2e").resolve(info.getTestMethod().orElseThrow().getName()
                + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss")));
        targets = SshTargets.start(work, "web-1", "web-2", "web-3");
    }

    @AfterEach
    void tearDown() {
        targets.close();
    }

    @Test
    void twoSlicesJournalEveryEventOfEveryHostExactlyOnceAndDoctorNamesTheSlices() throws Exception {
        Path cfg = work.resolve("lb.yaml");
        Files.writeString(cfg, "repetitions: " + REPETITIONS + "\npoll_interval_s: 0.5\nmetrics_interval_s: 0\n"
                + "output_dir: runs\ntargets:\n  target_root: /root/lb-targets\n"
                + targets.targetsYaml().substring("targets:\n".length())
                + "workloads:\n  - name: count\n    argv: [sh, -c, 'i=1; while [ $i -le " + LINES + " ]; do echo line $i;"
                + " i=$((i+1)); done']\n");

        LbProcess run = LbProcess.runIn(work, Map.of(), null, "run", "-c", cfg.toString(), "--output", "plain",
                "--slices", "2");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("slice 1: web-1, web-2 (its own ansible-playbook, slices/1/ansible.log)"), run.out());
        assertTrue(run.out().contains("slice 2: web-3 (its own ansible-playbook, slices/2/ansible.log)"), run.out());
        Path runDir = RunFiles.onlyRunDir(work.resolve("runs"));

        // Two slice directories, each with its hosts, its process's output and its callback's file.
        assertEquals(List.of("web-1", "web-2"), Files.readAllLines(runDir.resolve("slices/1/hosts.txt")));
        assertEquals(List.of("web-3"), Files.readAllLines(runDir.resolve("slices/2/hosts.txt")));
        for (String k : List.of("1", "2")) {
            for (String f : List.of("ansible.log", "events.jsonl")) {
                Path p = runDir.resolve("slices").resolve(k).resolve(f);
                assertTrue(Files.size(p) > 0, p + " is written");
            }
        }
        assertFalse(Files.exists(runDir.resolve("ansible.log")), "a sliced run has no top-level ansible.log");
        String slice1Log = Files.readString(runDir.resolve("slices/1/ansible.log"));
        String slice2Log = Files.readString(runDir.resolve("slices/2/ansible.log"));
        assertTrue(slice1Log.contains("[web-1]") && slice1Log.contains("[web-2]") && !slice1Log.contains("[web-3]"),
                "slice 1's ansible-playbook drove web-1 and web-2 only");
        assertTrue(slice2Log.contains("[web-3]") && !slice2Log.contains("[web-1]") && !slice2Log.contains("[web-2]"),
                "slice 2's ansible-playbook drove web-3 only");

        // Every event exactly once: no identity twice in the journal, and per host the journal holds exactly what
        // its stream file (the source of truth, collected) holds, and every line the workload printed, once each.
        List<JsonNode> journal = RunFiles.journal(runDir);
        Set<String> identities = new HashSet<>();
        Map<String, Set<String>> journalled = new TreeMap<>();
        Map<String, List<String>> printed = new TreeMap<>();
        for (JsonNode r : journal) {
            JsonNode e = r.path("event");
            String id = e.path("host").asText() + " " + e.path("workload").asText() + " " + e.path("repetition").asInt()
                    + " " + e.path("src").asText() + " " + e.path("seq").asLong();
            assertTrue(e.has("seq"), "every emitter of ours sets seq: " + e);
            assertTrue(identities.add(id), "journalled twice: " + id);
            journalled.computeIfAbsent(e.path("host").asText(), h -> new HashSet<>()).add(id);
            if (e.path("type").asText().equals("log") && e.path("message").asText().startsWith("line ")) {
                printed.computeIfAbsent(e.path("host").asText(), h -> new ArrayList<>())
                        .add(e.path("repetition").asInt() + ":" + e.path("message").asText());
            }
        }
        for (String host : List.of("web-1", "web-2", "web-3")) {
            List<String> expected = new ArrayList<>();
            for (int rep = 1; rep <= REPETITIONS; rep++) {
                for (int i = 1; i <= LINES; i++) {
                    expected.add(rep + ":line " + i);
                }
            }
            List<String> got = new ArrayList<>(printed.getOrDefault(host, List.of()));
            got.sort(null);
            expected.sort(null);
            assertEquals(expected, got, host + ": every printed line once");
            Set<String> inStream = new HashSet<>();
            for (String line : Files.readAllLines(runDir.resolve("artifacts").resolve(host)
                    .resolve("lb_events.stream.log"))) {
                int at = line.indexOf("LB_EVENT ");
                if (at < 0) {
                    continue;
                }
                JsonNode e = JSON.readTree(line.substring(at + "LB_EVENT ".length()));
                assertEquals("agent", e.path("src").asText(), line);
                inStream.add(e.path("host").asText() + " " + e.path("workload").asText() + " "
                        + e.path("repetition").asInt() + " " + e.path("src").asText() + " " + e.path("seq").asLong());
            }
            assertFalse(inStream.isEmpty(), host + "'s stream file was collected");
            // The agent's events; run-level emitters and the callback's own notices have other sources.
            Set<String> agentEvents = new HashSet<>(journalled.get(host));
            agentEvents.removeIf(id -> !id.split(" ")[3].equals("agent") || id.split(" ")[2].equals("0"));
            assertEquals(inStream, agentEvents, host + ": the journal holds exactly its stream file's events");
        }

        JsonNode summary = JSON.readTree(runDir.resolve("summary.json").toFile());
        assertEquals("complete", summary.path("completeness").path("verdict").asText(), run.out());
        assertEquals(journal.size(), summary.path("events").path("accepted").asLong());
        assertEquals(0, summary.path("events").path("recovered").asLong(), "the live paths of both slices delivered all");
        assertEquals(2, summary.path("slices").size(), summary.path("slices").toString());
        assertEquals("[\"web-3\"]", summary.path("slices").get(1).path("hosts").toString());
        for (JsonNode s : summary.path("slices")) {
            assertEquals(0, s.path("ansible_exit_code").asInt(-1), s.toString());
        }
        List<String> rowHosts = new ArrayList<>();
        summary.path("state").forEach(r -> rowHosts.add(r.path("host").asText()));
        assertEquals(List.of("web-1", "web-2", "web-3"), rowHosts, "one summary, one row per host");
        assertTrue(run.out().contains("slice 2: 1 host (web-3), ansible-playbook exit 0"), run.out());

        LbProcess doctor = LbProcess.runIn(work, Map.of(), null, "doctor", "--run", runDir.toString());
        assertEquals(0, doctor.exitCode(), doctor.out() + doctor.err());
        assertTrue(doctor.out().contains("2+3 live paths, 2 slices"), doctor.out());
        assertTrue(doctor.out().contains("slice 1 (web-1, web-2)"), doctor.out());
        assertTrue(doctor.out().contains("slice 2 (web-3)"), doctor.out());
    }
}

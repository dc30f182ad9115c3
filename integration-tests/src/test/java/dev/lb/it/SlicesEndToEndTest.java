package dev.lb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * lb run --slices 2 against six real sshd targets: two ansible-playbook processes (web-1..3, then web-4..6),
 * one journal in which every event of every host is exactly once, one summary, and lb doctor --run naming the slices.
 */
class SlicesEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LINES = 100;
    private static final List<String> HOSTS = List.of("web-1", "web-2", "web-3", "web-4", "web-5", "web-6");
    private static final int REPETITIONS = 2;

    @RegisterExtension
    final SshTargetsPerTest targets = new SshTargetsPerTest(HOSTS.toArray(String[]::new));

    @Test
    void twoSlicesJournalEveryEventOfEveryHostExactlyOnceAndDoctorNamesTheSlices() throws Exception {
        Path cfg = targets.work().resolve("lb.yaml");
        Files.writeString(cfg, "repetitions: " + REPETITIONS + "\npoll_interval_s: 0.5\nmetrics_interval_s: 0\n"
                + "output_dir: runs\ntargets:\n  target_root: /root/lb-targets\n"
                + targets.targetsYaml().substring("targets:\n".length())
                + "workloads:\n  - name: count\n    argv: [sh, -c, 'i=1; while [ $i -le " + LINES + " ]; do echo line $i;"
                + " i=$((i+1)); done']\n");

        LbProcess run = LbProcess.runIn(targets.work(), Map.of(), null, "run", "-c", cfg.toString(), "--output", "plain",
                "--slices", "2");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("slice 1: web-1, web-2, web-3 (its own ansible-playbook, slices/1/ansible.log)"),
                run.out());
        assertTrue(run.out().contains("slice 2: web-4, web-5, web-6 (its own ansible-playbook, slices/2/ansible.log)"),
                run.out());
        Path runDir = RunFiles.onlyRunDir(targets.work().resolve("runs"));

        // Two slice directories, each with its hosts, its process's output and its callback's file.
        assertEquals(HOSTS.subList(0, 3), Files.readAllLines(runDir.resolve("slices/1/hosts.txt")));
        assertEquals(HOSTS.subList(3, 6), Files.readAllLines(runDir.resolve("slices/2/hosts.txt")));
        for (String k : List.of("1", "2")) {
            for (String f : List.of("ansible.log", "events.jsonl")) {
                Path p = runDir.resolve("slices").resolve(k).resolve(f);
                assertTrue(Files.size(p) > 0, p + " is written");
            }
        }
        assertFalse(Files.exists(runDir.resolve("ansible.log")), "a sliced run has no top-level ansible.log");
        String slice1Log = Files.readString(runDir.resolve("slices/1/ansible.log"));
        String slice2Log = Files.readString(runDir.resolve("slices/2/ansible.log"));
        for (int i = 0; i < HOSTS.size(); i++) {
            String tag = "[" + HOSTS.get(i) + "]";
            assertEquals(i < 3, slice1Log.contains(tag), "slice 1's ansible-playbook drove web-1..3 only: " + tag);
            assertEquals(i >= 3, slice2Log.contains(tag), "slice 2's ansible-playbook drove web-4..6 only: " + tag);
        }

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
        for (String host : HOSTS) {
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
        assertEquals("[\"web-4\",\"web-5\",\"web-6\"]", summary.path("slices").get(1).path("hosts").toString());
        for (JsonNode s : summary.path("slices")) {
            assertEquals(0, s.path("ansible_exit_code").asInt(-1), s.toString());
        }
        List<String> rowHosts = new ArrayList<>();
        summary.path("state").forEach(r -> rowHosts.add(r.path("host").asText()));
        assertEquals(HOSTS, rowHosts, "one summary, one row per host");
        assertTrue(run.out().contains("slice 2: 3 hosts (web-4, web-5, web-6), ansible-playbook exit 0"), run.out());

        LbProcess doctor = LbProcess.runIn(targets.work(), Map.of(), null, "doctor", "--run", runDir.toString());
        assertEquals(0, doctor.exitCode(), doctor.out() + doctor.err());
        assertTrue(doctor.out().contains("2+3 live paths, 2 slices"), doctor.out());
        assertTrue(doctor.out().contains("slice 1 (web-1, web-2, web-3)"), doctor.out());
        assertTrue(doctor.out().contains("slice 2 (web-4, web-5, web-6)"), doctor.out());
    }
}

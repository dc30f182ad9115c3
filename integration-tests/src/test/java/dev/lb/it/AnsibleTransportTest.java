package dev.lb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.protocol.Event;
import dev.lb.protocol.Extraction;
import dev.lb.protocol.LbEventExtractor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real ansible-playbook, role, poll module and callback on localhost, carrying events from agent to JSONL. */
class AnsibleTransportTest {
    @TempDir
    Path tmp;

    private static String key(JsonNode e) {
        return e.path("repetition").asInt() + "/" + e.path("src").asText() + "/" + e.path("seq").asLong();
    }

    private static Set<String> stdoutKeys(Path stdout) throws IOException {
        LbEventExtractor extractor = new LbEventExtractor();
        Set<String> keys = new HashSet<>();
        for (String line : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
            for (Extraction x : extractor.extract(line)) {
                if (x instanceof Extraction.Found f) {
                    Event e = f.event();
                    keys.add(e.repetition() + "/" + e.src() + "/" + e.seq());
                }
            }
        }
        return keys;
    }

    @Test
    void twentyThousandEventsPerRepetitionArriveExactlyOnceInJsonlAndAtLeastOnceOnStdout() throws Exception {
        AnsiblePlaybook pb = new AnsiblePlaybook(tmp, "volume");
        int rc = pb.run(pb.vars(3, 1.0, AnsiblePlaybook.command("burst", "python3", "-c",
                "import sys\nfor i in range(20000): sys.stdout.write('event %d {\"q\": \"\\\\\\\"\"}\\n' % i)")));
        assertEquals(0, rc, "see " + pb.stdout);
        List<JsonNode> events = pb.events();
        Map<String, Integer> count = new HashMap<>();
        events.forEach(e -> count.merge(key(e), 1, Integer::sum));
        assertEquals(List.of(), count.entrySet().stream().filter(en -> en.getValue() != 1).toList(), "no duplicates");
        for (int rep = 1; rep <= 3; rep++) {
            int r = rep;
            List<JsonNode> agent = events.stream().filter(e -> e.path("repetition").asInt() == r).toList();
            assertEquals(20_003, agent.size(), "running + 20,000 lines + the timed result + done in rep " + rep);
            for (int seq = 1; seq <= 20_003; seq++) {
                assertTrue(count.containsKey(rep + "/agent/" + seq), "missing rep " + rep + " seq " + seq);
            }
            assertEquals("done", agent.stream().filter(e -> e.path("seq").asInt() == 20_003).findFirst().orElseThrow()
                    .path("status").asText());
        }
        assertTrue(stdoutKeys(pb.stdout).containsAll(count.keySet()), "every event also reached stdout");
        assertEquals(0, pb.records("diagnostic").size());
    }

    @Test
    void killedAgentIsReportedAsACrashWithItsLastLines() throws Exception {
        AnsiblePlaybook pb = new AnsiblePlaybook(tmp, "crash");
        int rc = pb.run(pb.vars(1, 0.5, AnsiblePlaybook.command("victim", "sh", "-c",
                "echo before the kill; sleep 1; kill -9 $(cat agent.pid); sleep 1; echo never seen")));
        assertEquals(0, rc, "the playbook itself completes; the crash is an event");
        List<JsonNode> events = pb.events();
        JsonNode crash = events.get(events.size() - 1);
        assertEquals("failed", crash.path("status").asText());
        assertEquals("agent_died", crash.path("error_type").asText());
        assertEquals("poll", crash.path("src").asText());
        assertTrue(events.stream().anyMatch(e -> "before the kill".equals(e.path("message").asText())));
        assertTrue(crash.path("error_context").path("last_lines").size() > 0, crash.toString());
    }

    @Test
    void workloadTimeOutEndsTheRepetitionAsTimeout() throws Exception {
        AnsiblePlaybook pb = new AnsiblePlaybook(tmp, "timeout");
        var w = AnsiblePlaybook.command("slow", "sleep", "60");
        w.put("timeout_s", 1);
        long t0 = System.nanoTime();
        int rc = pb.run(pb.vars(1, 0.5, w));
        assertEquals(0, rc);
        assertTrue((System.nanoTime() - t0) / 1e9 < 45, "stopped long before the workload would end");
        JsonNode last = pb.events().get(pb.events().size() - 1);
        assertEquals(List.of("timeout", "workload_timeout"), List.of(last.path("status").asText(),
                last.path("error_type").asText()), last.toString());
        assertTrue(last.path("message").asText().contains("workload time limit of 1 s"), last.toString());
    }

    @Test
    void truncatedStreamFileIsReadAgainFromTheStartWithAWarning() throws Exception {
        AnsiblePlaybook pb = new AnsiblePlaybook(tmp, "trunc");
        int rc = pb.run(pb.vars(1, 0.5, AnsiblePlaybook.command("truncator", "sh", "-c",
                "i=0; while [ $i -lt 50 ]; do echo early $i; i=$((i+1)); done; sleep 2;"
                        + " : > lb_events.stream.log; sleep 0.2;"
                        + " i=0; while [ $i -lt 50 ]; do echo late $i; i=$((i+1)); done")));
        assertEquals(0, rc, "see " + pb.stdout);
        List<String> messages = new ArrayList<>();
        pb.events().forEach(e -> messages.add(e.path("message").asText()));
        for (int i = 0; i < 50; i++) {
            assertTrue(messages.contains("late " + i), "late " + i + " in " + messages);
            assertTrue(messages.contains("early " + i), "early lines were polled before the truncation");
        }
        assertEquals("done", pb.events().get(pb.events().size() - 1).path("status").asText());
        assertTrue(pb.records("warning").stream().anyMatch(w -> w.path("warning").asText().contains("truncated")),
                "the truncation is reported");
    }
}

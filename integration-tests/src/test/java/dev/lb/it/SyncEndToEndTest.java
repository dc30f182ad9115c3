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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code sync: true}: every host starts repetition r only when every host has ended repetition r - 1 (a barrier per
 * repetition), against the default, where a fast host runs ahead. One host's workload takes 3 s, the other's none.
 */
class SyncEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WORKLOAD = """
            workloads:
              - name: step
                argv: [sh, -c, 'case "$(basename "$PWD")" in slow-1) sleep 3;; esac; echo "rep done"']
            """;

    @RegisterExtension
    final SshTargetsPerTest targets = new SshTargetsPerTest("slow-1", "fast-1");

    private List<JsonNode> run(String name, boolean sync) throws Exception {
        Path cfg = targets.work().resolve(name + ".yaml");
        Files.writeString(cfg, "name: " + name + "\nrepetitions: 3\noutput_dir: " + name + "\nmetrics_interval_s: 0\n"
                + (sync ? "sync: true\n" : "") + targets.targetsYaml() + WORKLOAD);
        LbProcess run = LbProcess.runIn(targets.work(), Map.of(), null, "run", "-c", cfg.toString(), "--output", "plain");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        Path runDir;
        try (Stream<Path> s = Files.list(targets.work().resolve(name))) {
            runDir = s.filter(Files::isDirectory).findFirst().orElseThrow(); // runs/ also holds history.db
        }
        List<JsonNode> events = new ArrayList<>();
        for (String l : Files.readAllLines(runDir.resolve("journal.jsonl"), StandardCharsets.UTF_8)) {
            events.add(JSON.readTree(l).get("event"));
        }
        for (String host : List.of("slow-1", "fast-1")) {
            for (int rep = 1; rep <= 3; rep++) {
                int r = rep;
                assertEquals(1, events.stream().filter(e -> e.path("host").asText().equals(host)
                        && e.path("repetition").asInt() == r && e.path("status").asText().equals("done")).count(),
                        host + " rep " + rep + " ended done once");
            }
        }
        return events;
    }

    /** The agent's first and final event times of one host's repetition. */
    private static double ts(List<JsonNode> events, String host, int rep, boolean last) throws IOException {
        return events.stream().filter(e -> e.path("host").asText().equals(host) && e.path("repetition").asInt() == rep
                        && e.path("src").asText().equals("agent")).mapToDouble(e -> e.path("ts").asDouble())
                .reduce(last ? Math::max : Math::min).orElseThrow();
    }

    @Test
    void withSyncNoHostStartsARepetitionBeforeEveryHostEndedThePreviousOneWithoutItTheFastHostRunsAhead()
            throws Exception {
        List<JsonNode> synced = run("synced", true);
        for (int rep = 2; rep <= 3; rep++) {
            double slowEnded = ts(synced, "slow-1", rep - 1, true);
            double fastStarted = ts(synced, "fast-1", rep, false);
            assertTrue(fastStarted >= slowEnded, "fast-1 started rep " + rep + " at " + fastStarted
                    + ", before slow-1 ended rep " + (rep - 1) + " at " + slowEnded);
        }
        List<JsonNode> free = run("free", false);
        assertTrue(ts(free, "fast-1", 2, false) < ts(free, "slow-1", 1, true),
                "without sync the fast host does not wait: the barrier above is sync's doing");
    }
}

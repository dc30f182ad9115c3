package dev.lb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lb.history.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Real runs (stress-ng on a local target) recorded at the end of {@code lb run}, one on PostgreSQL, one run made
 * without the history and imported later as an older run directory; then {@code lb history}, {@code show} and
 * {@code check} on SQLite (history.db where the runs are) and on PostgreSQL give every run's results.json values.
 */
class HistoryEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void realRunsAreRecordedAndTheHistoryShowsEachRunsResultsOnSqliteAndPostgresql(TestInfo info) throws Exception {
        Path work = Files.createDirectories(RunFiles.workDir(info));
        Path cfg = work.resolve("lb.yaml");
        Files.writeString(cfg, "repetitions: 2\noutput_dir: runs\nmetrics_interval_s: 0\npoll_interval_s: 0.5\n"
                + "targets:\n  target_root: " + work.resolve("targets") + "\n  hosts:\n"
                + "    - {name: local, connection: local}\n"
                + "workloads:\n  - name: cpu\n    type: stress-ng\n"
                + "    args: [--cpu, \"1\", --cpu-method, int64, --timeout, 1s]\n");
        try (PostgresServer pg = PostgresServer.start()) {
            String pgUrl = pg.newDatabaseUrl();
            List<String> recordedIn = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                List<String> args = new ArrayList<>(List.of("run", "-c", cfg.toString(), "--output", "plain",
                        "--label", "try=" + i));
                if (i == 2) {
                    args.addAll(List.of("--history-url", pgUrl));
                }
                if (i == 3) {
                    args.add("--no-history"); // an older run directory, from before the history
                }
                LbProcess run = LbProcess.runIn(work, Map.of(), null, args.toArray(String[]::new));
                assertEquals(0, run.exitCode(), run.out() + run.err());
                if (i < 3) {
                    assertTrue(run.out().contains("(history: run "), run.out() + run.err());
                    recordedIn.add(run.out());
                }
            }
            assertTrue(recordedIn.get(2).contains("recorded in " + pgUrl.replaceFirst("\\?.*", "")),
                    recordedIn.get(2));

            // The runs recorded at run time, then --all into both stores: the import replaces, never doubles.
            for (List<String> store : List.of(List.<String>of(), List.of("--history-url", pgUrl))) {
                LbProcess imported = lb(work, store, "history", "import", "--all");
                assertEquals(0, imported.exitCode(), imported.out() + imported.err());
                assertTrue(imported.out().contains("4 runs recorded"), imported.out());
                checkShowMatchesResultsJson(work, store);
                LbProcess list = lb(work, store, "history");
                assertEquals(0, list.exitCode(), list.err());
                assertTrue(list.out().lines().findFirst().orElseThrow().startsWith("history: "), list.out());
                assertTrue(list.out().contains("local × cpu × cpu.bogo_ops_per_s_real (ops/s) *  4"), list.out());
                LbProcess check = lb(work, store, "history", "check", "last");
                assertEquals(0, check.exitCode(), check.out() + check.err());
                assertTrue(check.out().contains("not enough history"), check.out());
                assertEquals(3, lb(work, store, "history", "check", "last", "--require-history").exitCode());
            }
        }
    }

    private static LbProcess lb(Path work, List<String> store, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(store);
        return LbProcess.runIn(work, Map.of("LB_RUNS_DIR", work.resolve("runs").toString()), null,
                all.toArray(String[]::new));
    }

    /** Every series × run of lb history show equals results.json of that run: mean, stdev, each value. */
    private static void checkShowMatchesResultsJson(Path work, List<String> store) throws Exception {
        LbProcess show = lb(work, store, "history", "show", "--output", "json");
        assertEquals(0, show.exitCode(), show.err());
        Map<String, JsonNode> shown = new HashMap<>();
        for (JsonNode s : JSON.readTree(show.out()).path("series")) {
            for (JsonNode r : s.path("runs")) {
                shown.put(r.path("run_id").asText() + "/" + s.path("host").asText() + "/" + s.path("workload")
                        .asText() + "/" + s.path("metric").asText() + "/" + s.path("unit").asText(), r);
            }
        }
        int compared = 0;
        try (Stream<Path> dirs = Files.list(work.resolve("runs"))) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                JsonNode results = JSON.readTree(dir.resolve("results.json").toFile());
                for (JsonNode r : results.path("results")) {
                    String key = results.path("run_id").asText() + "/" + r.path("host").asText() + "/"
                            + r.path("workload").asText() + "/" + r.path("metric").asText() + "/"
                            + r.path("unit").asText();
                    JsonNode h = shown.get(key);
                    assertTrue(h != null, "not in lb history show: " + key);
                    assertEquals(r.path("mean").asDouble(), h.path("mean").asDouble(), key);
                    assertEquals(r.path("n").asInt(), h.path("n").asInt(), key);
                    for (int i = 0; i < r.path("values").size(); i++) {
                        assertEquals(r.path("values").get(i).path("value").asDouble(),
                                h.path("values").get(i).asDouble(), key);
                    }
                    compared++;
                }
            }
        }
        assertEquals(compared, shown.size(), "lb history show has exactly the runs' series");
        assertTrue(compared >= 4 * 5, "series × runs compared: " + compared);
    }
}

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real runs (stress-ng on two SSH target containers): an older run directory made without the history, then three
 * runs recorded at the end of {@code lb run} (two in history.db where the runs are, one on PostgreSQL); then the
 * older run imported with a label, and {@code lb history import --all} into both stores, and on each {@code lb history}, {@code show}, {@code check} and
 * {@code report} give the series of the runs with the values of each run's results.json.
 */
class HistoryEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PAGE_DATA =
            Pattern.compile("<script type=\"application/json\" id=\"lb-data\">(.*?)</script>", Pattern.DOTALL);

    @RegisterExtension
    final SshTargetsPerTest targets = new SshTargetsPerTest("hist-1", "hist-2");

    @Test
    void realRunsOnSshTargetsAreRecordedAndTheHistoryShowsEachRunsResultsOnSqliteAndPostgresql() throws Exception {
        Path work = targets.work();
        Path cfg = work.resolve("lb.yaml");
        Files.writeString(cfg, "repetitions: 2\noutput_dir: runs\nmetrics_interval_s: 0\npoll_interval_s: 0.5\n"
                + targets.targetsYaml()
                + "workloads:\n  - name: cpu\n    type: stress-ng\n"
                + "    args: [--cpu, \"1\", --cpu-method, int64, --timeout, 2s]\n");
        try (PostgresServer pg = PostgresServer.start()) {
            String pgUrl = pg.newDatabaseUrl();
            List<String> runIds = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                List<String> args = new ArrayList<>(List.of("run", "-c", cfg.toString(), "--output", "plain"));
                if (i == 0) {
                    args.add("--no-history"); // not recorded: its label is kept in labels.json for the import
                }
                args.addAll(List.of("--label", "try=" + i));
                if (i == 2) {
                    args.addAll(List.of("--history-url", pgUrl));
                }
                LbProcess run = LbProcess.runIn(work, Map.of(), null, args.toArray(String[]::new));
                assertEquals(0, run.exitCode(), run.out() + run.err());
                assertEquals(i > 0, run.out().contains("(history: run "), run.out() + run.err());
                if (i == 2) {
                    assertTrue(run.out().contains("recorded in " + pgUrl.replaceFirst("\\?.*", "")), run.out());
                }
                runIds.add(newRun(work, runIds).path("run_id").asText());
            }
            Map<String, JsonNode> results = resultsByRunAndSeries(work);
            Set<String> runsAndHosts = new HashSet<>();
            results.values().forEach(r -> runsAndHosts.add(r.path("host").asText()));
            assertEquals(Set.of("hist-1", "hist-2"), runsAndHosts, "both SSH targets measured: " + results.keySet());
            for (String run : runIds) {
                assertTrue(results.keySet().stream().filter(k -> k.startsWith(run + "/")).count() >= 2 * 5,
                        "run " + run + " has at least 5 series a host: " + results.keySet());
            }
            JsonNode newest = results(work, runIds.get(3));
            // The run not recorded, imported by itself: its label comes from the labels.json lb run wrote.
            assertTrue(Files.readString(runDir(work, runIds.get(0)).resolve("labels.json")).contains("\"try\""));
            LbProcess older = lb(work, List.of(), "history", "import", runDir(work, runIds.get(0)).toString());
            assertEquals(0, older.exitCode(), older.out() + older.err());
            assertTrue(older.out().contains("recorded " + runIds.get(0) + ": "
                    + results(work, runIds.get(0)).path("results").size() + " series"), older.out());
            assertTrue(older.out().contains("1 run recorded (0 replaced)"), older.out());

            // The runs recorded at run time, then --all into both stores: the import adds the older run and
            // replaces the others, never doubles them.
            for (List<String> store : List.of(List.<String>of(), List.of("--history-url", pgUrl))) {
                String where = store.isEmpty() ? "SQLite" : "PostgreSQL";
                LbProcess imported = lb(work, store, "history", "import", "--all");
                assertEquals(0, imported.exitCode(), imported.out() + imported.err());
                assertTrue(imported.out().contains("4 runs recorded"), imported.out());

                checkShow(work, store, results, runIds, where);
                checkList(work, store, newest, runIds, where);
                checkCheck(work, store, newest, runIds, where);
                checkReport(work, store, results, runIds, where);
            }
        }
    }

    /** lb history show: each series × run equals that run's results.json (mean, n, each value), runs in time order. */
    private static void checkShow(Path work, List<String> store, Map<String, JsonNode> results, List<String> runIds,
                                  String where) throws Exception {
        LbProcess show = lb(work, store, "history", "show", "--output", "json");
        assertEquals(0, show.exitCode(), show.err());
        Set<String> shown = new HashSet<>();
        for (JsonNode s : JSON.readTree(show.out()).path("series")) {
            List<String> order = new ArrayList<>();
            for (JsonNode r : s.path("runs")) {
                String key = key(r.path("run_id").asText(), s);
                JsonNode expected = results.get(key);
                assertTrue(expected != null, where + ": lb history show has a series × run no results.json has: "
                        + key);
                assertEquals(expected.path("mean").asDouble(), r.path("mean").asDouble(), where + " " + key);
                assertEquals(expected.path("n").asInt(), r.path("n").asInt(), where + " " + key);
                assertEquals(expected.path("values").size(), r.path("values").size(), where + " " + key);
                for (int i = 0; i < expected.path("values").size(); i++) {
                    assertEquals(expected.path("values").get(i).path("value").asDouble(),
                            r.path("values").get(i).asDouble(), where + " " + key);
                }
                shown.add(key);
                order.add(r.path("run_id").asText());
            }
            assertEquals(runIds, order, where + ": runs in time order, the imported older run first: " + s);
        }
        assertEquals(results.keySet(), shown, where + ": lb history show has exactly the runs' series");
    }

    /** lb history: one line per series of the runs, 4 runs each, the last value the newest run's. */
    private static void checkList(Path work, List<String> store, JsonNode newest, List<String> runIds, String where)
            throws Exception {
        LbProcess text = lb(work, store, "history");
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().lines().findFirst().orElseThrow().startsWith("history: "), text.out());
        for (String host : List.of("hist-1", "hist-2")) {
            assertTrue(text.out().contains(host + " × cpu × cpu.bogo_ops_per_s_real (ops/s) *  4"), text.out());
        }
        LbProcess list = lb(work, store, "history", "--output", "json");
        assertEquals(0, list.exitCode(), list.err());
        Map<String, JsonNode> listed = new HashMap<>();
        for (JsonNode s : JSON.readTree(list.out()).path("series")) {
            listed.put(key("", s), s);
        }
        assertEquals(newest.path("results").size(), listed.size(), where + ": " + list.out());
        for (JsonNode r : newest.path("results")) {
            JsonNode s = listed.get(key("", r));
            assertTrue(s != null, where + ": lb history lacks " + key("", r));
            assertEquals(4, s.path("runs").asInt(), where + " " + s);
            assertEquals(runIds.get(3), s.path("last_run").asText(), where + " " + s);
            assertEquals(r.path("mean").asDouble(), s.path("last_mean").asDouble(), where + " " + s);
            assertEquals(r.path("n").asInt(), s.path("last_n").asInt(), where + " " + s);
        }
    }

    /** lb history check last: each series' value is the newest run's mean; 3 earlier runs are not enough. */
    private static void checkCheck(Path work, List<String> store, JsonNode newest, List<String> runIds,
                                   String where) throws Exception {
        LbProcess check = lb(work, store, "history", "check", "last", "--output", "json");
        assertEquals(0, check.exitCode(), check.out() + check.err());
        JsonNode verdicts = JSON.readTree(check.out());
        assertEquals(runIds.get(3), verdicts.path("run_id").asText());
        Map<String, JsonNode> bySeries = new HashMap<>();
        for (JsonNode v : verdicts.path("series")) {
            bySeries.put(key("", v), v);
        }
        assertEquals(newest.path("results").size(), bySeries.size(), where + ": " + check.out());
        for (JsonNode r : newest.path("results")) {
            JsonNode v = bySeries.get(key("", r));
            assertTrue(v != null, where + ": lb history check lacks " + key("", r));
            assertEquals(r.path("mean").asDouble(), v.path("value").asDouble(), where + " " + v);
            assertEquals("not enough history", v.path("verdict").asText(), where + " " + v);
            assertEquals(3, v.path("earlier_runs").asInt(), where + " " + v);
        }
        assertEquals(3, lb(work, store, "history", "check", "last", "--require-history").exitCode());
    }

    /** lb history report: the page's data holds every series × run with the mean, n, min and max of results.json. */
    private static void checkReport(Path work, List<String> store, Map<String, JsonNode> results,
                                    List<String> runIds, String where) throws Exception {
        Path page = work.resolve("history-" + (store.isEmpty() ? "sqlite" : "postgresql") + ".html");
        LbProcess report = lb(work, store, "history", "report", "-o", page.toString());
        assertEquals(0, report.exitCode(), report.out() + report.err());
        Matcher m = PAGE_DATA.matcher(Files.readString(page));
        assertTrue(m.find(), "no data in " + page);
        Set<String> drawn = new HashSet<>();
        for (JsonNode s : JSON.readTree(m.group(1)).path("series")) {
            List<String> order = new ArrayList<>();
            for (JsonNode r : s.path("runs")) {
                String key = key(r.path("run_id").asText(), s);
                JsonNode expected = results.get(key);
                assertTrue(expected != null, where + ": the report has a series × run no results.json has: " + key);
                for (String field : List.of("mean", "min", "max")) {
                    assertEquals(expected.path(field).asDouble(), r.path(field).asDouble(), where + " " + field + " "
                            + key);
                }
                assertEquals(expected.path("n").asInt(), r.path("n").asInt(), where + " " + key);
                assertEquals("try=" + runIds.indexOf(r.path("run_id").asText()), "try="
                        + r.path("labels").path("try").asText(), where + ": the run's label " + key);
                drawn.add(key);
                order.add(r.path("run_id").asText());
            }
            assertEquals(runIds, order, where + ": " + s.path("name").asText());
        }
        assertEquals(results.keySet(), drawn, where + ": the report draws exactly the runs' series");
    }

    private static String key(String runId, JsonNode s) {
        return runId + "/" + s.path("host").asText() + "/" + s.path("workload").asText() + "/"
                + s.path("metric").asText() + "/" + s.path("unit").asText();
    }

    /** Every run's results.json rows by run × host × workload × metric × unit. */
    private static Map<String, JsonNode> resultsByRunAndSeries(Path work) throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        try (Stream<Path> dirs = Files.list(work.resolve("runs"))) {
            for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve("results.json"))).toList()) {
                JsonNode results = JSON.readTree(dir.resolve("results.json").toFile());
                for (JsonNode r : results.path("results")) {
                    out.put(key(results.path("run_id").asText(), r), r);
                }
            }
        }
        return out;
    }

    /** The results.json of the one run directory whose run is not among {@code known}. */
    private static JsonNode newRun(Path work, List<String> known) throws Exception {
        List<JsonNode> fresh = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(work.resolve("runs"))) {
            for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve("results.json"))).toList()) {
                JsonNode r = JSON.readTree(dir.resolve("results.json").toFile());
                if (!known.contains(r.path("run_id").asText())) {
                    fresh.add(r);
                }
            }
        }
        assertEquals(1, fresh.size(), "one new run directory after each run");
        return fresh.get(0);
    }

    private static JsonNode results(Path work, String runId) throws Exception {
        return JSON.readTree(runDir(work, runId).resolve("results.json").toFile());
    }

    private static Path runDir(Path work, String runId) throws Exception {
        try (Stream<Path> dirs = Files.list(work.resolve("runs"))) {
            for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve("results.json"))).toList()) {
                if (JSON.readTree(dir.resolve("results.json").toFile()).path("run_id").asText().equals(runId)) {
                    return dir;
                }
            }
        }
        throw new AssertionError("no run directory of run " + runId);
    }

    private static LbProcess lb(Path work, List<String> store, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(store);
        return LbProcess.runIn(work, Map.of("LB_RUNS_DIR", work.resolve("runs").toString()), null,
                all.toArray(String[]::new));
    }
}

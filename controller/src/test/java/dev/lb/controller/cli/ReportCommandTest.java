package dev.lb.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.controller.analysis.JournalFixture;
import dev.lb.controller.run.RunRecord;
import dev.lb.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
    @TempDir
    Path runs;

    /** A run of one host with the repetitions of ops/s given, each ended done. */
    private Path run(String id, long started, double... ops) throws Exception {
        return run(id, started, new JournalFixture(id).doneSeries("h", "w", "m", "ops/s", ops));
    }

    private Path run(String id, long started, JournalFixture journal) throws Exception {
        Path d = journal.writeTo(runs);
        new RunRecord(id, "cfg", "a", started, List.of("h"), List.of("w"), 2, "i", "v", false).write(d);
        return d;
    }

    /** Two hosts, a throughput and a latency, five repetitions each, everything moved by the shifts given. */
    private Path twoHosts(String id, long started, double opsShift, double latencyShift) throws Exception {
        // Declared results: each workload's first, cpu.ops and p99, is its primary metric, judged.
        return run(id, started, new JournalFixture(id).parser("declared")
                .doneSeries("web-1", "cpu", "cpu.ops", "ops/s", 1230 + opsShift, 1240 + opsShift, 1235 + opsShift,
                        1228 + opsShift, 1244 + opsShift)
                .doneSeries("web-2", "cpu", "cpu.ops", "ops/s", 1000 + opsShift, 1010 + opsShift, 1005 + opsShift,
                        995 + opsShift, 990 + opsShift)
                .doneSeries("web-1", "lat", "p99", "ms", 5.1 + latencyShift, 5.3 + latencyShift, 5.0 + latencyShift,
                        5.2 + latencyShift, 5.4 + latencyShift));
    }

    private CliRun report(String... args) {
        List<String> all = new ArrayList<>(List.of("report"));
        all.addAll(List.of(args));
        all.addAll(List.of("--output-dir", runs.toString()));
        return CliRun.run(all.toArray(String[]::new));
    }

    private static JsonNode data(Path report) throws Exception {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"lb-data\">(.*?)</script>", Pattern.DOTALL)
                .matcher(Files.readString(report));
        assertTrue(m.find());
        return Json.MAPPER.readTree(m.group(1));
    }

    private static List<String> files(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void withoutResultsJsonItComputesTheResultsFromTheJournalAndWritesThemAsLbResultsDoes() throws Exception {
        Path dir = run("r1", 1_000, 10, 11, 12);
        CliRun r = report("r1");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(dir.resolve("report.html").toString(), lines.get(lines.size() - 1));
        JsonNode data = data(dir.resolve("report.html"));
        assertEquals("r1", data.get("run_id").asText());
        JsonNode m = data.get("results").get(0);
        assertEquals(List.of("h", "w", "m", "ops/s"), List.of(m.get("host").asText(), m.get("workload").asText(),
                m.get("metric").asText(), m.get("unit").asText()));
        assertEquals(3, m.get("n").asInt());
        assertEquals(11.0, m.get("mean").asDouble());
        assertEquals(1.0, m.get("stdev").asDouble());
        assertEquals(11.9, m.get("p95").asDouble(), 1e-12);
        assertEquals(1.0 / 11.0, m.get("cv").asDouble(), "cv is the ratio stdev / mean; the page shows it as %");
        assertEquals("[{\"repetition\":1,\"value\":10.0},{\"repetition\":2,\"value\":11.0},{\"repetition\":3,"
                + "\"value\":12.0}]", m.get("values").toString());
        assertEquals("[1,2,3]", data.get("result_charts").get(0).get("x").toString());
        assertTrue(data.get("summary").isNull(), "no summary.json: the page says so");
        assertTrue(data.get("comparison").isNull());

        String written = Files.readString(dir.resolve("results.json"));
        CliRun results = CliRun.run("results", "r1", "--output-dir", runs.toString(), "--output", "json");
        assertEquals(results.out(), written, "what lb results writes");
        assertEquals(Json.MAPPER.readTree(results.out()).get("results"), data.get("results"));
        assertEquals(List.of("journal.jsonl", "report.html", "results.csv", "results.json", "run.json"), files(dir),
                "no temporary file left");
    }

    @Test
    void aResultsJsonOlderThanTheJournalIsRewrittenAndACurrentOneIsLeftAsItIs() throws Exception {
        Path dir = run("r1", 1_000, 10, 11, 12);
        Path json = dir.resolve("results.json");
        FileTime journalTime = Files.getLastModifiedTime(dir.resolve("journal.jsonl"));
        Files.writeString(json, "{\"run_id\": \"r1\", \"results\": []}\n");
        Files.setLastModifiedTime(json, FileTime.fromMillis(journalTime.toMillis() - 60_000));
        assertEquals(0, report("r1").exitCode());
        assertEquals(3, Json.MAPPER.readTree(json.toFile()).get("results").get(0).get("n").asInt(), "rewritten");
        assertTrue(Files.exists(dir.resolve("results.csv")));

        String current = Files.readString(json);
        FileTime later = FileTime.fromMillis(journalTime.toMillis() + 60_000);
        Files.setLastModifiedTime(json, later);
        CliRun r = report("r1");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(later, Files.getLastModifiedTime(json), "newer than the journal: not written again");
        assertEquals(current, Files.readString(json));
        assertEquals(11.0, data(dir.resolve("report.html")).get("results").get(0).get("mean").asDouble());
    }

    @Test
    void lastNamesTheNewestRun() throws Exception {
        run("old", 1_000, 1, 2);
        Path newest = run("new", 2_000, 3, 4);
        CliRun r = report("last");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().strip().endsWith(newest.resolve("report.html").toString()), r.out());
    }

    @Test
    void aDirectoryWithoutAJournalIsNotARun() throws Exception {
        Path dir = Files.createDirectories(runs.resolve("r1"));
        new RunRecord("r1", "cfg", "a", 1_000, List.of("h"), List.of("w"), 2, "i", "v", false).write(dir);
        CliRun r = report("r1");
        assertEquals(1, r.exitCode());
        assertEquals("lb: no journal.jsonl in " + dir + ": not a run directory\n", r.err());
        assertFalse(Files.exists(dir.resolve("report.html")));
    }

    @Test
    void unreadableJournalRecordsAreNamedAndTheRestIsReported() throws Exception {
        Path dir = run("r1", 1_000, new JournalFixture("r1").doneSeries("h", "w", "m", "ops/s", 10, 11)
                .raw("not json at all"));
        CliRun r = report("r1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("lb: " + dir.resolve("journal.jsonl") + ":5: unreadable record ("), r.err());
        assertEquals(2, data(dir.resolve("report.html")).get("results").get(0).get("n").asInt());
    }

    @Test
    void aDamagedSummaryJsonIsNamed() throws Exception {
        Path dir = run("r1", 1_000, 10, 11);
        Files.writeString(dir.resolve("summary.json"), "{\"run_id\": ");
        CliRun r = CliRun.run("report", dir.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("lb: " + dir.resolve("summary.json") + ": damaged ("), r.err());
    }

    @Test
    void anUnknownRunIsAUsageError() {
        CliRun r = report("nope");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("lb: no run 'nope'"), r.err());
        assertEquals(2, CliRun.run("report").exitCode(), "RUN is required");
    }

    @Test
    void aRunComparedWithItselfHasNoChangeOnEveryRow() throws Exception {
        Path dir = twoHosts("r1", 1_000, 0, 0);
        CliRun r = report("r1", "--compare", "r1");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode c = data(dir.resolve("report.html")).get("comparison");
        assertEquals("r1", c.get("base_run").asText());
        List<String> rows = new ArrayList<>();
        c.get("rows").forEach(row -> rows.add(row.get("host").asText() + " " + row.get("metric").asText() + " "
                + row.get("verdict").asText() + " significant=" + row.get("significant").asBoolean() + " p="
                + row.get("p_value").asDouble() + " change=" + row.get("change_pct").asDouble()));
        assertEquals(List.of(
                "web-1 cpu.ops no change significant=false p=1.0 change=0.0",
                "web-2 cpu.ops no change significant=false p=1.0 change=0.0",
                "all hosts cpu.ops no change significant=false p=1.0 change=0.0",
                "web-1 p99 no change significant=false p=1.0 change=0.0"), rows);
    }

    @Test
    void clearlyDifferentRunsGiveSignificantRowsBetterAndWorseAsLbCompareSaysThem() throws Exception {
        twoHosts("base", 1_000, 0, 0);
        Path dir = twoHosts("new", 2_000, 100, 2.0);
        CliRun r = report("new", "--compare", "base");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode c = data(dir.resolve("report.html")).get("comparison");
        assertEquals(List.of("base", "new", "welch", "0.05"), List.of(c.get("base_run").asText(),
                c.get("new_run").asText(), c.get("test").asText(), c.get("alpha").asText()));
        JsonNode web1 = c.get("rows").get(0);
        assertEquals("web-1 cpu.ops better", web1.get("host").asText() + " " + web1.get("metric").asText() + " "
                + web1.get("outcome").asText());
        assertTrue(web1.get("significant").asBoolean());
        assertEquals("welch", web1.get("test").asText(), web1.toString());
        assertTrue(web1.get("p_value").asDouble() < 1e-5, web1.toString());
        assertEquals(1235.4, web1.get("base").get("mean").asDouble(), 1e-9);
        assertEquals(1335.4, web1.get("new").get("mean").asDouble(), 1e-9);
        assertEquals(100 / 1235.4 * 100, web1.get("change_pct").asDouble(), 1e-9, "change in % of the base mean");
        // The interval is of the difference of means, in ops/s, around +100 (the shift), not a percentage, at the
        // level of the Holm step that judged it (one of four primary rows: 1 - 0.05 / k).
        assertTrue(web1.get("ci_low").asDouble() > 80 && web1.get("ci_low").asDouble() < 100, web1.toString());
        assertTrue(web1.get("ci_high").asDouble() > 100 && web1.get("ci_high").asDouble() < 120, web1.toString());
        assertTrue(web1.get("ci_level").asDouble() >= 1 - 0.05 / 4 - 1e-12, web1.toString());
        JsonNode pooled = c.get("rows").get(2);
        assertEquals("all hosts", pooled.get("host").asText());
        JsonNode latency = c.get("rows").get(3);
        assertEquals("web-1 p99 worse", latency.get("host").asText() + " " + latency.get("metric").asText() + " "
                + latency.get("outcome").asText(), "a latency that went up is worse");
        assertTrue(latency.get("significant").asBoolean());

        CliRun compare = CliRun.run("compare", "base", "new", "--output-dir", runs.toString(), "--output", "json");
        assertEquals(0, compare.exitCode(), compare.err());
        assertEquals(Json.MAPPER.readTree(compare.out()), c, "the page has exactly what lb compare says");
    }

    @Test
    void theAlphaIsTheOneGivenAndNeedsCompare() throws Exception {
        twoHosts("base", 1_000, 0, 0);
        Path dir = twoHosts("new", 2_000, 100, 2.0);
        CliRun r = report("new", "--compare", "base", "--alpha", "0.01");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode c = data(dir.resolve("report.html")).get("comparison");
        assertEquals("welch", c.get("test").asText());
        assertEquals(0.01, c.get("alpha").asDouble());

        CliRun alone = report("new", "--alpha", "0.01");
        assertEquals(2, alone.exitCode());
        assertEquals("lb: --alpha judges a comparison: give --compare BASE with it\n", alone.err());
        assertEquals(2, report("new", "--compare", "base", "--test", "welch").exitCode(),
                "Welch is the only test: --test is gone");
        assertEquals(2, report("new", "--compare", "base", "--alpha", "1").exitCode());
    }

    @Test
    void aBaseWithoutAJournalIsNamed() throws Exception {
        Path dir = run("r1", 2_000, 10, 11);
        Path base = Files.createDirectories(runs.resolve("r0"));
        CliRun r = report("r1", "--compare", "r0");
        assertEquals(1, r.exitCode());
        assertEquals("lb: no journal.jsonl in " + base + ": not a run directory\n", r.err());
        assertFalse(Files.exists(dir.resolve("report.html")));
        assertFalse(Files.exists(dir.resolve("results.json")), "nothing written before both runs were read");
        assertEquals("", r.out());
    }

    @Test
    void withoutAHistoryStoreTheHistorySectionSaysSoInOneLineAndNoStoreIsMade() throws Exception {
        Path dir = run("r1", 1_000, 10, 11, 12);
        CliRun r = report("r1");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        JsonNode history = data(dir.resolve("report.html")).get("history");
        Path store = runs.toAbsolutePath().normalize().resolve("history.db");
        assertEquals("No history store at " + store + ": nothing recorded there yet (lb history import r1 records"
                + " this run).", history.get("note").asText());
        assertEquals(0, history.get("series").size());
        assertFalse(Files.exists(store), "reading never creates a store");
    }

    @Test
    void aStoreThatCannotBeReadIsOneLineNamingItAndTheReportIsStillWritten() throws Exception {
        Path dir = run("r1", 1_000, 10, 11, 12);
        Path store = runs.toAbsolutePath().normalize().resolve("history.db");
        Files.writeString(store, "not a database");
        CliRun r = report("r1");
        assertEquals(0, r.exitCode(), r.err());
        String line = "The history could not be read: " + store + " is not an SQLite database, so not a history"
                + " store (left as it is)";
        assertEquals("lb: warning: the report's history section: " + line + "\n", r.err());
        JsonNode history = data(dir.resolve("report.html")).get("history");
        assertEquals(line, history.get("note").asText());
        assertTrue(history.get("problem").asBoolean());
        assertEquals("not a database", Files.readString(store));
    }

    @Test
    void theSectionShowsTheRunsSeriesFromTheStoreItWasRecordedInUpToThisRun() throws Exception {
        for (int i = 0; i < 4; i++) {
            run("r" + i, 1_000_000L + i * 60_000L, 10 + i, 11 + i, 12 + i);
            assertEquals(0, CliRun.run("results", "r" + i, "--output-dir", runs.toString()).exitCode());
        }
        CliRun imported = CliRun.run("history", "import", "--all", "--output-dir", runs.toString());
        assertEquals(0, imported.exitCode(), imported.err());
        CliRun r = report("r2");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode history = data(runs.resolve("r2").resolve("report.html")).get("history");
        assertTrue(history.path("note").isMissingNode(), history.toString());
        assertEquals(1, history.get("series").size());
        JsonNode s = history.get("series").get(0);
        assertEquals("h \u00d7 w \u00d7 m (ops/s)", s.get("name").asText());
        assertEquals("r2", s.get("this_run").asText());
        assertEquals(4, s.get("runs_in_series").asInt());
        assertEquals(List.of("r0", "r1", "r2"), s.get("runs").findValuesAsText("run_id"), "up to this run");
        assertEquals(List.of(11.0, 12.0, 13.0), s.get("runs").findValues("mean").stream().map(JsonNode::asDouble)
                .toList(), "each run's mean, as its results.json has it");

        // --history-url, LB_HISTORY_URL and the config's history.url choose another store, as for lb history.
        Path elsewhere = runs.resolve("elsewhere.db").toAbsolutePath().normalize();
        assertEquals(0, report("r2", "--history-url", elsewhere.toString()).exitCode());
        assertTrue(data(runs.resolve("r2").resolve("report.html")).get("history").get("note").asText()
                .startsWith("No history store at " + elsewhere + ":"));
        Path config = runs.resolve("lb.yaml");
        Files.writeString(config, "history: {url: \"" + elsewhere + "\"}\n"
                + "targets: {hosts: [{name: l, connection: local}]}\nworkloads: [{name: w, argv: [\"true\"]}]\n");
        assertEquals(0, report("r2", "-c", config.toString()).exitCode());
        assertTrue(data(runs.resolve("r2").resolve("report.html")).get("history").get("note").asText()
                .startsWith("No history store at " + elsewhere + ":"));
        CliRun env = CliRun.withEnv(java.util.Map.of("LB_HISTORY_URL", runs.resolve("history.db").toString()), "",
                "report", "r2", "-c", config.toString(), "--output-dir", runs.toString());
        assertEquals(0, env.exitCode(), env.err());
        assertEquals(3, data(runs.resolve("r2").resolve("report.html")).get("history").get("series").get(0)
                .get("runs").size(), "LB_HISTORY_URL over the config's history.url");
    }
}

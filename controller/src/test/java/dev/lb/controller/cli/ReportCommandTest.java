package dev.lb.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.controller.report.Comparison;
import dev.lb.controller.report.ComparisonRow;
import dev.lb.controller.report.ComparisonSource;
import dev.lb.controller.run.RunRecord;
import dev.lb.protocol.Json;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
    static final String RESULTS = """
            {"run_id": "%s", "results": [{"host": "h", "workload": "w", "metric": "m", "unit": "ops/s",
              "direction": "higher_is_better", "n": 2, "mean": 10.5, "stdev": 0.7071067811865476, "min": 10.0,
              "median": 10.5, "p95": 10.95, "max": 11.0, "cv": 0.0673,
              "values": [{"repetition": 1, "value": 10.0}, {"repetition": 2, "value": 11.0}], "outliers": []}],
             "fleet": [], "excluded": [], "unparsed": []}
            """;

    @TempDir
    Path runs;

    private Path run(String id, long started, boolean withResults) throws Exception {
        Path d = Files.createDirectories(runs.resolve(id));
        new RunRecord(id, "cfg", "a", started, List.of("h"), List.of("w"), 2, "i", "v", false).write(d);
        if (withResults) {
            Files.writeString(d.resolve("results.json"), RESULTS.formatted(id));
        }
        return d;
    }

    private static JsonNode data(Path report) throws Exception {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"lb-data\">(.*?)</script>", Pattern.DOTALL)
                .matcher(Files.readString(report));
        assertTrue(m.find());
        return Json.MAPPER.readTree(m.group(1));
    }

    @Test
    void writesReportHtmlInTheRunDirectoryAndPrintsItsPathLast() throws Exception {
        Path dir = run("r1", 1_000, true);
        CliRun r = CliRun.run("report", "r1", "--output-dir", runs.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(dir.resolve("report.html").toString(), lines.get(lines.size() - 1));
        JsonNode data = data(dir.resolve("report.html"));
        assertEquals("r1", data.get("run_id").asText());
        assertEquals(10.5, data.get("results").get(0).get("mean").asDouble());
        assertTrue(data.get("summary").isNull(), "no summary.json: the page says so");
        assertEquals("", r.err());
        try (var files = Files.list(dir)) {
            assertEquals(List.of("report.html", "results.json", "run.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file left");
        }
    }

    @Test
    void lastNamesTheNewestRun() throws Exception {
        run("old", 1_000, true);
        Path newest = run("new", 2_000, true);
        CliRun r = CliRun.run("report", "last", "--output-dir", runs.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().strip().endsWith(newest.resolve("report.html").toString()), r.out());
    }

    @Test
    void withoutResultsJsonItSaysToRunLbResultsFirst() throws Exception {
        Path dir = run("r1", 1_000, false);
        CliRun r = CliRun.run("report", "r1", "--output-dir", runs.toString());
        assertEquals(1, r.exitCode());
        assertEquals("lb: no " + dir.resolve("results.json") + ": run `lb results r1` first\n", r.err());
        assertFalse(Files.exists(dir.resolve("report.html")));
    }

    @Test
    void aDamagedResultsJsonIsNamedInOneLine() throws Exception {
        Path dir = run("r1", 1_000, false);
        Files.writeString(dir.resolve("results.json"), "{\"run_id\": \"r1\", \"results\": [");
        CliRun r = CliRun.run("report", dir.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("lb: " + dir.resolve("results.json") + ": damaged, not valid JSON ("), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void aResultsEntryOutOfShapeIsNamed() throws Exception {
        Path dir = run("r1", 1_000, false);
        Files.writeString(dir.resolve("results.json"), "{\"results\": [{\"host\": \"h\", \"workload\": \"w\"}]}");
        CliRun r = CliRun.run("report", dir.toString());
        assertEquals(1, r.exitCode());
        assertEquals("lb: " + dir.resolve("results.json") + ": results[0] has no metric\n", r.err());
    }

    @Test
    void aDamagedSummaryJsonIsNamed() throws Exception {
        Path dir = run("r1", 1_000, true);
        Files.writeString(dir.resolve("summary.json"), "{\"run_id\": ");
        CliRun r = CliRun.run("report", dir.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("lb: " + dir.resolve("summary.json") + ": damaged ("), r.err());
    }

    @Test
    void anUnknownRunIsAUsageError() {
        CliRun r = CliRun.run("report", "nope", "--output-dir", runs.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("lb: no run 'nope'"), r.err());
        assertEquals(2, CliRun.run("report").exitCode(), "RUN is required");
    }

    @Test
    void compareWithoutAComparisonInThisBuildIsRefusedNotIgnored() throws Exception {
        Path dir = run("r1", 2_000, true);
        run("r0", 1_000, true);
        CliRun r = CliRun.run("report", "r1", "--compare", "r0", "--output-dir", runs.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("lb: --compare is not available yet"), r.err());
        assertFalse(Files.exists(dir.resolve("report.html")));
    }

    @Test
    void compareReadsTheBaseRunsResultsAndPutsTheComparisonInThePage() throws Exception {
        Path dir = run("r1", 2_000, true);
        run("r0", 1_000, true);
        List<String> compared = new ArrayList<>();
        ComparisonSource source = (baseId, base, runId, results) -> {
            compared.add(baseId + " " + base.get("run_id").asText() + " -> " + runId + " " + results.get("run_id").asText());
            return new Comparison(baseId, List.of(new ComparisonRow("h", "w", "m", "ops/s", 10.0, 10.5, 5.0, -1.0, 11.0,
                    0.7, "welch-t", 0.3, false, "no change")));
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = LbCommand.commandLine(new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
                new PrintWriter(err, true), source).execute("report", "r1", "--compare", "r0", "--output-dir",
                runs.toString());
        assertEquals(0, code, err.toString());
        assertEquals(List.of("r0 r0 -> r1 r1"), compared);
        JsonNode comparison = data(dir.resolve("report.html")).get("comparison");
        assertEquals("r0", comparison.get("base_run_id").asText());
        assertEquals("{\"host\":\"h\",\"workload\":\"w\",\"metric\":\"m\",\"unit\":\"ops/s\",\"base_mean\":10.0,"
                + "\"new_mean\":10.5,\"change_pct\":5.0,\"ci_low\":-1.0,\"ci_high\":11.0,\"effect_size\":0.7,"
                + "\"test\":\"welch-t\",\"p\":0.3,\"significant\":false,\"verdict\":\"no change\"}",
                comparison.get("rows").get(0).toString());
    }

    @Test
    void compareWithABaseWithoutResultsSaysWhichRunLacksThem() throws Exception {
        run("r1", 2_000, true);
        Path base = run("r0", 1_000, false);
        CliRun r = CliRun.run("report", "r1", "--compare", "r0", "--output-dir", runs.toString());
        assertEquals(1, r.exitCode());
        assertEquals("lb: no " + base.resolve("results.json") + ": run `lb results r0` first\n", r.err());
    }
}

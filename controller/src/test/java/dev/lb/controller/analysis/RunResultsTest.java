package dev.lb.controller.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunResultsTest {
    @TempDir
    Path runs;

    private final List<String> problems = new ArrayList<>();

    private RunResults results(JournalFixture f) throws Exception {
        return RunResults.of(ResultEvents.read(f.writeTo(runs), problems::add));
    }

    private static RunResults.HostResult only(RunResults r, String host, String metric) {
        return r.results().stream().filter(h -> h.host().equals(host) && h.series().metric().equals(metric))
                .reduce((a, b) -> {
                    throw new AssertionError("two results for " + host + " " + metric);
                }).orElseThrow(() -> new AssertionError("no result for " + host + " " + metric));
    }

    @Test
    void onlyDoneRepetitionsCountAndTheOthersAreListedWithTheirFinalMessage() throws Exception {
        // numpy: mean 1083.3333333333333, std(ddof=1) 204.2465829987534, median 1002.5, percentile(95) 1377.5
        JournalFixture f = new JournalFixture("r1").warmupEnd("web-1", "cpu", 1);
        double[] values = {1000, 1010, 990, 1005, 995, 1500};
        for (int i = 0; i < values.length; i++) {
            f.result("web-1", "cpu", i + 2, "cpu.ops", values[i], "ops/s").end("web-1", "cpu", i + 2, "done", "ok");
        }
        f.result("web-1", "cpu", 8, "cpu.ops", 5.0, "ops/s").end("web-1", "cpu", 8, "failed", "stress-ng exited 2");
        f.result("web-1", "cpu", 9, "cpu.ops", 7.0, "ops/s");
        RunResults r = results(f);

        RunResults.HostResult h = only(r, "web-1", "cpu.ops");
        SampleSummary s = h.stats();
        assertEquals(6, s.n());
        assertEquals(1083.3333333333333, s.mean(), 1e-9);
        assertEquals(204.2465829987534, s.stdev(), 1e-9);
        assertEquals(990, s.min());
        assertEquals(1002.5, s.median(), 1e-12);
        assertEquals(1377.5, s.p95(), 1e-9);
        assertEquals(1500, s.max());
        assertEquals(204.2465829987534 / 1083.3333333333333, s.cv(), 1e-12);
        assertEquals(List.of(new Outliers.Outlier(7, 1500, "tukey")), h.outliers(), "flagged, and still counted");

        assertEquals(List.of(
                new RunResults.Excluded(new RepetitionKey("web-1", "cpu", 1), "done", "warm-up repetition", List.of()),
                new RunResults.Excluded(new RepetitionKey("web-1", "cpu", 8), "failed", "stress-ng exited 2",
                        r.excluded().get(1).values()),
                new RunResults.Excluded(new RepetitionKey("web-1", "cpu", 9), "running",
                        "no final event in the journal (the repetition did not end, or its end was not journalled)",
                        r.excluded().get(2).values())),
                r.excluded());
        // What the excluded repetitions produced is kept with them (for the history), never counted.
        assertEquals(List.of("cpu.ops=5.0 ops/s"), r.excluded().get(1).values().stream()
                .map(v -> v.name() + "=" + v.value() + " " + v.unit()).toList());
        assertEquals(List.of("cpu.ops=7.0 ops/s"), r.excluded().get(2).values().stream()
                .map(v -> v.name() + "=" + v.value() + " " + v.unit()).toList());
        assertEquals(List.of(), problems);
    }

    @Test
    void aResultJournalledAfterTheFinalEventStillCounts() throws Exception {
        JournalFixture f = new JournalFixture("r1").end("web-1", "cpu", 1, "done", "ok")
                .result("web-1", "cpu", 1, "cpu.ops", 12.5, "ops/s");
        RunResults r = results(f);
        assertEquals(12.5, only(r, "web-1", "cpu.ops").stats().mean());
        assertEquals(List.of(), r.excluded());
    }

    @Test
    void oneValueHasNoSpreadAndUnparsedResultsAreListed() throws Exception {
        JournalFixture f = new JournalFixture("r1").doneSeries("web-1", "disk", "read.lat", "ms", 4.0)
                .unparsed("web-1", "disk", 2, "fio: no JSON object in the output").end("web-1", "disk", 2, "done", "ok");
        RunResults r = results(f);
        JsonNode json = ResultsJson.of(r);
        JsonNode entry = json.get("results").get(0);
        assertEquals(1, entry.get("n").asInt());
        assertTrue(entry.get("stdev").isNull());
        assertTrue(entry.get("cv").isNull());
        assertEquals("lower_is_better", entry.get("direction").asText());
        assertEquals(List.of(new RunResults.Unparsed(new RepetitionKey("web-1", "disk", 2),
                "fio: no JSON object in the output")), r.unparsed());
        assertEquals("r1", json.get("run_id").asText());
        assertTrue(json.get("fleet").isEmpty(), "milliseconds do not add up across hosts");
    }

    @Test
    void aValueFarFromTheMedianButInsideTheFencesIsFlaggedByTheMadRule() throws Exception {
        // Q1 100, Q3 110: the fences are 85 and 125, so only 130 is outside them; the median is 101 and the scaled
        // MAD 1.4826, so the 110s are more than 3 scaled MADs away.
        RunResults r = results(new JournalFixture("r1").doneSeries("h", "w", "m", "ops/s",
                100, 100, 100, 100, 101, 110, 110, 110, 130));
        assertEquals(List.of(new Outliers.Outlier(6, 110, "mad"), new Outliers.Outlier(7, 110, "mad"),
                new Outliers.Outlier(8, 110, "mad"), new Outliers.Outlier(9, 130, "tukey")),
                only(r, "h", "m").outliers());
    }

    @Test
    void fewerThanFiveValuesAreNeverFlagged() throws Exception {
        RunResults r = results(new JournalFixture("r1").doneSeries("h", "w", "m", "ops/s", 100, 100.1, 100, 300));
        assertEquals(List.of(), only(r, "h", "m").outliers(), "four values are too few to call one an outlier");
    }

    @Test
    void fleetTotalsSumTheHostsOnlyInRepetitionsWhereEveryHostIsDone() throws Exception {
        JournalFixture f = new JournalFixture("r1");
        for (int rep = 1; rep <= 3; rep++) {
            f.result("web-1", "cpu", rep, "ops", 100.0 + rep, "ops/s", "lat", 2.0, "ms")
                    .end("web-1", "cpu", rep, "done", "ok");
            f.result("web-2", "cpu", rep, "ops", 200.0 + rep, "ops/s", "lat", 3.0, "ms")
                    .end("web-2", "cpu", rep, rep == 2 ? "failed" : "done", rep == 2 ? "killed" : "ok");
        }
        RunResults r = results(f);
        assertEquals(1, r.fleet().size(), "ms is not additive: " + r.fleet());
        RunResults.FleetResult fleet = r.fleet().get(0);
        assertEquals(2, fleet.hosts());
        assertEquals(List.of(new RunResults.RepValue(1, 302), new RunResults.RepValue(3, 306)), fleet.totals());
        assertEquals(2, fleet.stats().n());
        assertEquals(304, fleet.stats().mean());
        assertEquals(Math.sqrt(8), fleet.stats().stdev(), 1e-12);
    }

    @Test
    void unreadableRecordsAreSkippedCountedAndNamedWithFileAndLine() throws Exception {
        JournalFixture f = new JournalFixture("r1").doneSeries("web-1", "cpu", "ops", "ops/s", 1, 2)
                .raw("{\"received\": 1, \"path\": \"stdout\", \"event\": {\"workload\": \"cpu\"}}")
                .raw("not json at all")
                .result("web-1", "cpu", 3, "ops", 3.0, "ops/s").end("web-1", "cpu", 3, "done", "ok");
        Path dir = f.writeTo(runs);
        ResultEvents events = ResultEvents.read(dir, problems::add);
        assertEquals(2, events.unreadable());
        Path journal = dir.resolve("journal.jsonl");
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith(journal + ":5: unreadable record (field 'host' missing"), problems.get(0));
        assertTrue(problems.get(1).startsWith(journal + ":6: unreadable record ("), problems.get(1));
        assertEquals(3, only(RunResults.of(events), "web-1", "ops").stats().n(), "the readable records still count");
    }

    @Test
    void resultsFilesAreWrittenInTheContractShape() throws Exception {
        Path dir = new JournalFixture("r1").doneSeries("web,1", "cpu", "ops", "ops/s", 1, 2, 3).writeTo(runs);
        RunResults r = RunResults.of(ResultEvents.read(dir, problems::add));
        String written = ResultsFiles.write(dir, r);
        assertEquals(written, Files.readString(dir.resolve("results.json")));
        JsonNode json = Json.MAPPER.readTree(written);
        assertEquals(List.of("run_id", "results", "fleet", "excluded", "unparsed", "system", "stability"), names(json));
        assertEquals(List.of("host", "workload", "metric", "unit", "direction", "parser", "primary", "n", "mean",
                "stdev", "min", "median", "p95", "max", "cv", "values", "outliers"), names(json.get("results").get(0)));
        assertEquals("stress-ng", json.get("results").get(0).get("parser").asText(), "as the result events name it");
        assertEquals(false, json.get("results").get(0).get("primary").asBoolean(),
                "stress-ng's primary is a stressor's bogo_ops_per_s_real, not 'ops'");
        assertEquals(List.of("workload", "metric", "unit", "hosts", "totals", "n", "mean", "stdev", "min", "median",
                "p95", "max", "cv"), names(json.get("fleet").get(0)));
        assertEquals(List.of(
                "host,workload,metric,unit,n,mean,stdev,min,median,p95,max,cv",
                "\"web,1\",cpu,ops,ops/s,3,2.0,1.0,1.0,2.0,2.9,3.0,0.5"), Files.readAllLines(dir.resolve("results.csv")));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("journal.jsonl", "results.csv", "results.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no temp file left behind");
        }
    }

    /** Issue 28: a warm-up's values are in results.json with it, so the history keeps them, marked and not counted. */
    @Test
    void anExcludedRepetitionsValuesAreWrittenWithItsReason() throws Exception {
        Path dir = new JournalFixture("r1").result("web-1", "cpu", 1, "ops", 900.0, "ops/s").warmupEnd("web-1", "cpu", 1)
                .result("web-1", "cpu", 2, "ops", 1000.0, "ops/s").end("web-1", "cpu", 2, "done", "ok")
                .result("web-1", "cpu", 3, "ops", 1010.0, "ops/s").end("web-1", "cpu", 3, "done", "ok").writeTo(runs);
        RunResults r = RunResults.of(ResultEvents.read(dir, problems::add));
        JsonNode x = Json.MAPPER.readTree(ResultsFiles.write(dir, r)).get("excluded").get(0);
        assertEquals(List.of("host", "workload", "repetition", "status", "reason", "values"), names(x));
        assertEquals("warm-up repetition", x.get("reason").asText());
        assertEquals("[{\"metric\":\"ops\",\"unit\":\"ops/s\",\"value\":900.0}]", x.get("values").toString());
        assertEquals(2, only(r, "web-1", "ops").stats().n(), "the warm-up is not counted");
    }

    private static List<String> names(JsonNode o) {
        List<String> out = new ArrayList<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void aRowWhoseRepetitionsHadNoiseIsMarkedAndTheNoiseListedUnderItsTable() throws Exception {
        JournalFixture f = new JournalFixture("r1");
        f.doneSeries("web-1", "cpu", "ops", "ops/s", 101, 102, 103).doneSeries("web-2", "cpu", "ops", "ops/s", 101, 102, 103);
        RunResults r = results(f);
        NoiseNotes noise = new NoiseNotes(List.of("web-1 cpu rep 2: 35.0 % of a core used by others (busiest: java 30 %)",
                "web-1 cpuburn rep 1: the system swapped (up to 8.0 KiB/s in)"), null);
        List<String> lines = ResultsTable.lines(r, noise);
        String web1 = lines.stream().filter(l -> l.trim().startsWith("web-1")).findFirst().orElseThrow();
        String web2 = lines.stream().filter(l -> l.trim().startsWith("web-2")).findFirst().orElseThrow();
        assertTrue(web1.endsWith("*"), web1);
        assertTrue(!web2.contains("*"), "another host's row is not marked: " + web2);
        assertTrue(lines.contains("* web-1 cpu rep 2: 35.0 % of a core used by others (busiest: java 30 %)"),
                lines.toString());
        assertEquals(0, lines.stream().filter(l -> l.contains("cpuburn")).count(),
                "a workload's noise is not another's, even one whose name it begins: " + lines);
        List<String> unread = ResultsTable.lines(r, new NoiseNotes(List.of(), "no summary.json (the run did not"
                + " finish): noise during repetitions cannot be shown"));
        assertEquals("note: no summary.json (the run did not finish): noise during repetitions cannot be shown",
                unread.get(unread.size() - 1), "what could not be read is said, not taken for quiet");
    }

    @Test
    void repetitionsSkippedAsStableAreNeitherCountedNorExcludedAndEachHostSaysWhereItStopped() throws Exception {
        JournalFixture f = new JournalFixture("r1");
        double[] steady = {100, 101, 99};
        for (int i = 0; i < steady.length; i++) {
            f.result("web-1", "cpu", i + 1, "ops", steady[i], "ops/s")
                    .stabilityEnd("web-1", "cpu", i + 1, "done", i == 2, i + 1, "cv of ops 0.01 <= 0.05 over 3 repetitions");
        }
        f.stabilityEnd("web-1", "cpu", 4, "skipped", true, 3, "cv of ops 0.01 <= 0.05 over 3 repetitions")
                .stabilityEnd("web-1", "cpu", 5, "skipped", true, 3, "cv of ops 0.01 <= 0.05 over 3 repetitions");
        double[] spread = {100, 300, 100, 300, 100};
        for (int i = 0; i < spread.length; i++) {
            f.result("web-2", "cpu", i + 1, "ops", spread[i], "ops/s")
                    .stabilityEnd("web-2", "cpu", i + 1, "done", false, i + 1, "cv of ops 0.5 > 0.05 over " + (i + 1)
                            + " repetitions");
        }
        RunResults r = results(f);

        assertEquals(3, only(r, "web-1", "ops").stats().n());
        assertEquals(5, only(r, "web-2", "ops").stats().n());
        assertEquals(List.of(), r.excluded(), "a repetition that was not needed is not a failure");
        assertEquals(List.of(
                new dev.lb.controller.state.RunSummary.Stability("web-1", "cpu", true, 3, 2,
                        "cv of ops 0.01 <= 0.05 over 3 repetitions"),
                new dev.lb.controller.state.RunSummary.Stability("web-2", "cpu", false, 5, 0,
                        "cv of ops 0.5 > 0.05 over 5 repetitions")), r.stability());
        assertTrue(ResultsTable.lines(r).contains("until stable: web-1 cpu: stable after 3 repetitions (cv of ops 0.01"
                + " <= 0.05 over 3 repetitions), 2 skipped"), ResultsTable.lines(r).toString());
        JsonNode json = ResultsJson.of(r).path("stability");
        assertEquals(2, json.size());
        assertEquals(2, json.get(0).path("skipped").asInt());
    }
}

package dev.lb.controller.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.controller.analysis.ComparisonJson;
import dev.lb.controller.analysis.Difference;
import dev.lb.controller.analysis.RunComparison;
import dev.lb.controller.analysis.RunResults;
import dev.lb.controller.analysis.SeriesRoles;
import dev.lb.controller.analysis.WorkloadDefinitions;
import dev.lb.results.Unit;
import dev.lb.controller.state.Completeness;
import dev.lb.controller.state.RunState;
import dev.lb.controller.state.RunSummary;
import dev.lb.controller.state.SummaryFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A finished run as lb leaves it, for the report tests: results.json in the contract's shape, summary.json, and a
 * journal with system metric events of two hosts, one line that is not JSON and one metric event without its time.
 * Texts that came from targets carry markup, so the tests can show it stays text.
 */
final class ReportFixture {
    static final String HOSTILE_REASON = "</script><img src=x onerror=\"window.pwned=1\"> \u2028 & <!-- parse";
    static final String HOSTILE_EXAMPLE = "<!-- <script>window.pwned=2</script> -->";
    static final String HOSTILE_NOT_DONE = "disk full <b>bold</b> </SCRIPT >";
    static final double T0 = 1764560000.0;
    static final int SAMPLES = 5;

    static final String RESULTS = """
            {"run_id": "r1",
             "results": [
              {"host": "web-1", "workload": "cpu", "metric": "cpu.bogo_ops_per_s_real", "unit": "ops/s",
               "direction": "higher_is_better", "n": 3, "mean": 1234.5678, "stdev": 12.3456, "min": 1222.1,
               "median": 1230.25, "p95": 1250.75, "max": 1251.3, "cv": 0.0100,
               "values": [{"repetition": 1, "value": 1222.1}, {"repetition": 2, "value": 1230.25},
                          {"repetition": 3, "value": 1251.3}],
               "outliers": []},
              {"host": "web-2", "workload": "cpu", "metric": "cpu.bogo_ops_per_s_real", "unit": "ops/s",
               "direction": "higher_is_better", "n": 3, "mean": 1100.4, "stdev": 210.9, "min": 980.2,
               "median": 1001.0, "p95": 1320.0, "max": 1340.0, "cv": 0.19166,
               "values": [{"repetition": 1, "value": 980.2}, {"repetition": 2, "value": 1001.0},
                          {"repetition": 3, "value": 1340.0}],
               "outliers": [{"repetition": 3, "value": 1340.0, "rule": "mad"}]},
              {"host": "web-1", "workload": "disk", "metric": "fio.read_lat_mean", "unit": "ms",
               "direction": "lower_is_better", "n": 1, "mean": 4.56789, "stdev": null, "min": 4.56789,
               "median": 4.56789, "p95": 4.56789, "max": 4.56789, "cv": null,
               "values": [{"repetition": 2, "value": 4.56789}], "outliers": []}
             ],
             "fleet": [
              {"workload": "cpu", "metric": "cpu.bogo_ops_per_s_real", "unit": "ops/s", "hosts": 2,
               "totals": [{"repetition": 1, "value": 2202.3}, {"repetition": 2, "value": 2231.25},
                          {"repetition": 3, "value": 2591.3}],
               "n": 3, "mean": 2341.6, "stdev": 216.8, "min": 2202.3, "median": 2231.25, "p95": 2555.3,
               "max": 2591.3, "cv": 0.0926}
             ],
             "excluded": [{"host": "web-1", "workload": "disk", "repetition": 1, "status": "failed",
                           "reason": "fio exited 1"}],
             "unparsed": [{"host": "web-2", "workload": "disk", "repetition": 2, "reason": "%s"}],
             "stability": [{"host": "web-1", "workload": "cpu", "stable": true, "n": 3, "skipped": 2,
                            "explanation": "cv of cpu.bogo_ops_per_s_real 0.0041 <= 0.05 over 3 repetitions"}],
             "system": {
              "web-1": {"cpu": {"model": "AMD EPYC 7763", "logical_cores": 4, "physical_cores": 2, "governor": "performance"},
                        "memory": {"total_bytes": 8589934592}, "kernel": {"release": "6.1.0-13-amd64"},
                        "clock": {"offset_ms": 2.5, "uncertainty_ms": 20.0}},
              "web-2": {"cpu": {"model": "%s", "logical_cores": 8}, "kernel": {"release": "6.6.0-1-amd64"},
                        "unread": {"cpu.governor": "no such file"}}
             }
            }
            """.formatted(HOSTILE_REASON.replace("\"", "\\\""), HOSTILE_EXAMPLE);

    /** The base run the comparison is against: web-1's repetitions of both workloads, around the comparison's means. */
    static final String BASE_RESULTS = """
            {"run_id": "r0",
             "results": [
              {"host": "web-1", "workload": "cpu", "metric": "cpu.bogo_ops_per_s_real", "unit": "ops/s",
               "direction": "higher_is_better", "primary": true, "n": 3, "mean": 1100.0, "stdev": 10.0,
               "values": [{"repetition": 1, "value": 1090.0}, {"repetition": 2, "value": 1100.0},
                          {"repetition": 3, "value": 1110.0}], "outliers": []},
              {"host": "web-1", "workload": "disk", "metric": "fio.read_lat_mean", "unit": "ms",
               "direction": "lower_is_better", "primary": true, "n": 1, "mean": 5.0, "stdev": null,
               "values": [{"repetition": 1, "value": 5.0}], "outliers": []}
             ]}
            """;

    /**
     * A comparison as {@code lb compare --output json} writes it (made by its own code, so the page is tested on the
     * shape it gets): a significant gain of the primary metric on web-1 (Holm's first step of two: its interval at
     * 97.5 %), a pooled row that is not significant, a latency with one value a side (no test, no verdict).
     */
    static ObjectNode comparison() {
        RunResults.SeriesKey ops = new RunResults.SeriesKey("cpu", "cpu.bogo_ops_per_s_real", "ops/s");
        RunResults.SeriesKey lat = new RunResults.SeriesKey("disk", "fio.read_lat_mean", "ms");
        SeriesRoles.Role primary = new SeriesRoles.Role("stress-ng", Unit.Direction.HIGHER_IS_BETTER, true);
        SeriesRoles.Role other = new SeriesRoles.Role("fio", Unit.Direction.LOWER_IS_BETTER, false);
        return ComparisonJson.of(new RunComparison("r0", "r1", 0.05, List.of(
                new RunComparison.Row("web-1", ops, primary, new Difference(3, 3, 1100.0, 1234.5678, 1100.0, 1230.25,
                        12.233, 2.31, 0.0021, 20.1, 3.9, Difference.Kind.TESTED), new RunComparison.Judgement(
                        RunComparison.HOLM, 0.0042, new Difference.Interval(0.975, 80.5, 188.6), true)),
                new RunComparison.Row(RunComparison.ALL_HOSTS, ops, primary, new Difference(6, 6, 1150.0, 1167.4,
                        1120.0, 1150.0, 1.513, 0.1, 0.41, 50.0, 9.8, Difference.Kind.TESTED), new RunComparison.Judgement(
                        RunComparison.HOLM, 0.41, new Difference.Interval(0.975, -95.2, 130.2), false)),
                new RunComparison.Row("web-1", lat, other, new Difference(1, 1, 5.0, 4.56789, 5.0, 4.56789, -8.6422,
                        null, null, null, null, Difference.Kind.N_TOO_SMALL),
                        new RunComparison.Judgement(null, null, null, false))),
                new dev.lb.controller.system.SystemDifferences(List.of(new dev.lb.controller.system.SystemDifferences
                        .Change("web-1", "kernel", "6.1.0-13-amd64", "6.6.0-1-amd64")), List.of(), List.of()),
                WorkloadDefinitions.Changes.NONE), dev.lb.history.gate.MinimumChange.DEFAULT, false, null);
    }

    private ReportFixture() {
    }

    /** Writes runs/<id>/ with results.json, summary.json and journal.jsonl; returns the run directory. */
    static Path writeRun(Path runs, String id) throws IOException {
        Path dir = Files.createDirectories(runs.resolve(id));
        Files.writeString(dir.resolve("results.json"), RESULTS);
        SummaryFile.write(dir.resolve("summary.json"), summary(id));
        Files.write(dir.resolve("journal.jsonl"), journal(id));
        return dir;
    }

    static RunSummary summary(String id) {
        return summary(id, List.of("web-2: its clock is +250.0 ms off the controller's"));
    }

    static RunSummary summary(String id, List<String> systemWarnings) {
        List<RunState.Row> state = List.of(
                row("web-1", "cpu", Map.of(1, "done", 2, "done", 3, "done")),
                row("web-1", "disk", Map.of(1, "failed", 2, "done", 3, "done")),
                row("web-2", "cpu", Map.of(1, "done", 2, "done", 3, "done")),
                row("web-2", "disk", Map.of(1, "done", 2, "done", 3, "timeout")));
        Map<String, Long> rejected = new LinkedHashMap<>();
        rejected.put("foreign_host", 2L);
        return new RunSummary(id, "bench.yaml", "failed", 1, "a repetition failed", T0 - 10, T0 + 95.5, 2, state,
                new RunSummary.Events(412, 3, 5, 404, 404, 407, 409, 0), rejected, List.of(HOSTILE_EXAMPLE),
                List.of(new RunSummary.GapRange("web-2", "disk", 3, "agent", 17, 19)),
                new RunSummary.Transport(0, 0, 0, 0, 0, 0, List.of(), null, 0, 0, List.of()),
                new Completeness(Completeness.LOST, 12, 12, List.of(), List.of(), List.of(), List.of("web-1", "web-2")),
                null, null, List.of(new RunSummary.NotDone("web-1", "disk", 1, "failed", HOSTILE_NOT_DONE)), "test",
                null, systemWarnings, null, null);
    }

    private static RunState.Row row(String host, String workload, Map<Integer, String> reps) {
        String last = reps.get(3);
        return new RunState.Row(host, workload, 3, 3, last, "", 0, 40, new TreeMap<>(reps));
    }

    /** Metric events of web-1 and web-2 (SAMPLES each, web-2's written out of time order), and two bad lines. */
    static List<String> journal(String id) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            lines.add(metricRecord(id, "web-1", T0 + i, i));
            lines.add(metricRecord(id, "web-2", T0 + (SAMPLES - 1 - i), SAMPLES - 1 - i));
        }
        lines.add(2, "{\"received\": 1764560001.0, \"path\": \"stdout\", \"event\": {\"v\":1,\"run_id\":\"" + id
                + "\",\"host\":\"web-1\",\"workload\":\"cpu\",\"repetition\":1,\"status\":\"running\",\"type\":\"log\","
                + "\"src\":\"workload\",\"seq\":3,\"message\":\"stress-ng: info\"}}");
        lines.add(4, "{\"received\": 1764560002.0, \"path\": \"jso");
        lines.add(6, "{\"received\": 1764560002.0, \"path\": \"jsonl\", \"event\": {\"host\":\"web-1\",\"type\":\"metric\","
                + "\"workload\":\"cpu\",\"repetition\":1,\"status\":\"running\",\"metrics\":[]}}");
        return lines;
    }

    static String metricRecord(String id, String host, double ts, int i) {
        return ("{\"received\": %s, \"path\": \"jsonl\", \"event\": {\"v\":1,\"run_id\":\"%s\",\"host\":\"%s\","
                + "\"workload\":\"cpu\",\"repetition\":1,\"status\":\"running\",\"type\":\"metric\",\"level\":\"info\","
                + "\"src\":\"agent\",\"seq\":%d,\"ts\":%s,\"message\":\"metrics\",\"metrics\":["
                + "{\"name\":\"cpu_user\",\"value\":%s,\"unit\":\"%%\"},{\"name\":\"cpu_system\",\"value\":%s,\"unit\":\"%%\"},"
                + "{\"name\":\"cpu_iowait\",\"value\":%s,\"unit\":\"%%\"},{\"name\":\"mem_used\",\"value\":%s,\"unit\":\"MiB\"},"
                + "{\"name\":\"load1\",\"value\":%s,\"unit\":\"count\"},{\"name\":\"disk_read\",\"value\":%s,\"unit\":\"B/s\"},"
                + "{\"name\":\"disk_write\",\"value\":%s,\"unit\":\"B/s\"},{\"name\":\"net_rx\",\"value\":%s,\"unit\":\"B/s\"},"
                + "{\"name\":\"net_tx\",\"value\":%s,\"unit\":\"B/s\"}]}}")
                .formatted(ts + 0.2, id, host, 100 + i, ts, 20.0 + 10 * i, 5.0 + i, 0.5 * i, 1024.0 + 64 * i, 0.25 * i,
                        1000.0 * i, 2000.0 * i, 300.0 * i, 400.0 * i);
    }
}

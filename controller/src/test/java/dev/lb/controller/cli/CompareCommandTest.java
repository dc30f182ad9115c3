package dev.lb.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.controller.analysis.JournalFixture;
import dev.lb.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {
    @TempDir
    Path runs;

    /** Two command workloads with declared results: cpu's first (and primary) is cpu.ops, lat's is p99. */
    private void run(String id, double shift) throws Exception {
        new JournalFixture(id).parser("declared")
                .doneSeries("web-1", "cpu", "cpu.ops", "ops/s", 1230 + shift, 1240 + shift, 1235 + shift, 1228 + shift,
                        1244 + shift)
                .doneSeries("web-2", "cpu", "cpu.ops", "ops/s", 1000 + shift, 1010 + shift, 1005 + shift, 995 + shift,
                        990 + shift)
                .doneSeries("web-1", "lat", "p99", "ms", 5.1, 5.3, 5.0, 5.2, 5.4)
                .writeTo(runs);
    }

    private CliRun compare(String... extra) {
        String[] args = new String[extra.length + 5];
        System.arraycopy(new String[] {"compare", "base", "new", "--output-dir", runs.toString()}, 0, args, 0, 5);
        System.arraycopy(extra, 0, args, 5, extra.length);
        return CliRun.run(args);
    }

    private static String line(CliRun r, String host, String unit) {
        return r.out().lines().filter(l -> l.trim().startsWith(host) && l.contains(unit)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + host + " row in " + unit + "\n" + r.out()));
    }

    /** A run of config {@code config} started at {@code startedMillis}, in {@code dir}, as lb run records it. */
    private static void record(Path dir, String id, String config, long startedMillis) throws Exception {
        new dev.lb.controller.run.RunRecord(id, config, "a", startedMillis, java.util.List.of("web-1"),
                java.util.List.of("cpu"), 5, "i", "v", false).write(dir.resolve(id));
    }

    @Test
    void lastAfterABaseIsTheNewestOtherRunOfItsConfigBesideItAndIsNamed() throws Exception {
        Path elsewhere = Files.createDirectories(runs.resolve("example-runs"));
        for (String id : java.util.List.of("a1", "a2", "b1")) {
            new JournalFixture(id).parser("declared").doneSeries("web-1", "cpu", "cpu.ops", "ops/s", 1, 2, 3)
                    .writeTo(elsewhere);
        }
        record(elsewhere, "a1", "stress-ng.yaml", 1_000);
        record(elsewhere, "a2", "stress-ng.yaml", 2_000);
        record(elsewhere, "b1", "other.yaml", 3_000);
        run("base", 0); // the newest run in --output-dir: not what 'last' means beside a1
        record(runs, "base", "unrelated.yaml", 9_000);
        CliRun r = CliRun.run("compare", elsewhere.resolve("a1").toString(), "last", "--output-dir", runs.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("lb: last = a2 (the newest other run of config 'stress-ng.yaml' in " + elsewhere
                + ")"), r.err());
        assertTrue(r.out().startsWith("base a1 vs new a2"), r.out());
        CliRun none = CliRun.run("compare", elsewhere.resolve("b1").toString(), "last", "--output-dir", runs.toString());
        assertEquals(2, none.exitCode(), none.err());
        assertTrue(none.err().contains("no other run of config 'other.yaml' in " + elsewhere + " for 'last'"), none.err());
    }

    @Test
    void aRunComparedWithItselfHasNoChange() throws Exception {
        run("base", 0);
        CliRun r = CliRun.run("compare", "base", "base", "--output-dir", runs.toString(), "--fail-on-regression", "0");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(4, r.out().lines().filter(l -> l.endsWith("no change")).count(), r.out());
        assertTrue(r.out().contains("all hosts"), r.out());
    }

    @Test
    void aSignificantDropInThroughputIsAWorseRegressionAndExitsFour() throws Exception {
        run("base", 0);
        run("new", -100);
        CliRun r = compare("--fail-on-regression", "5");
        assertEquals(4, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().startsWith("lb: 2 significant regression(s) beyond 5.0 %"), r.err());
        assertTrue(r.out().startsWith("base base vs new new: Welch's t-test, alpha 0.05; a verdict on each workload's"
                + " primary metric only, Holm-corrected across the 4 primary row(s)"), r.out());
        String pooled = line(r, "all hosts", "ops/s");
        assertTrue(pooled.endsWith("~"), "pooled, the 235 ops/s between the hosts hides the 100 ops/s drop: " + pooled);
        String web1 = line(r, "web-1", "ops/s");
        assertTrue(web1.contains("-8.09 %") && web1.contains("[-113.6, -86.43] ops/s at 98.75 %")
                && web1.contains("p < 0.0001  Holm p < 0.0001") && web1.endsWith("worse"),
                "Holm's first step of 4 primary rows: the interval at 1 - 0.05 / 4; " + web1);
        assertTrue(line(r, "web-1", " ms ").endsWith("no change"), "the latency did not change\n" + r.out());
        assertEquals(0, compare("--fail-on-regression", "10").exitCode(),
                "web-1 drops 8.09 %, web-2 exactly 10 %: neither is beyond 10 %");
        assertEquals(0, compare().exitCode(), "without --fail-on-regression a regression is reported, not failed");
    }

    /** A config with a regression: block, as lb run and lb history check read it. */
    private Path config(String regression) throws Exception {
        Path c = Files.createTempFile(runs, "lb", ".yaml");
        Files.writeString(c, regression + "targets: {hosts: [{name: l, connection: local}]}\n"
                + "workloads: [{name: cpu, argv: [\"true\"]}]\n");
        return c;
    }

    @Test
    void withoutPctTheMinimumChangeComesFromMinChangeElseTheConfigsRegressionBlockElseFivePercent() throws Exception {
        run("base", 0);
        run("new", -100); // web-1 -8.09 %, web-2 -10 %, both significant
        CliRun first = CliRun.run("compare", "--fail-on-regression", "base", "new", "--output-dir", runs.toString());
        assertEquals(4, first.exitCode(), "the runs after the option stay the runs\n" + first.out() + first.err());
        assertEquals("lb: 2 significant regression(s) beyond their metric's minimum change, e.g. web-1 cpu cpu.ops"
                + " -8.09 % (its minimum 5 %; every metric's: 5 %)\n", first.err());
        assertEquals(0, compare("--fail-on-regression", "--min-change", "12").exitCode());
        Path rules = config("regression:\n  min_change_pct: 1\n  metrics: [{match: 'cpu\\..*', min_change_pct: 9}]\n");
        CliRun byRule = compare("--fail-on-regression", "-c", rules.toString());
        assertEquals(4, byRule.exitCode(), byRule.err());
        assertEquals("lb: 1 significant regression(s) beyond their metric's minimum change, e.g. web-2 cpu cpu.ops"
                + " -10.00 % (its minimum 9 %; every metric's: 1 % (9 % for /cpu\\..*/))\n", byRule.err(),
                "web-1's 8.09 % is under its rule's 9 %");
        assertEquals(0, compare("--fail-on-regression", "-c", config("regression: {min_change_pct: 12}\n").toString())
                .exitCode());
        assertEquals(0, compare("--fail-on-regression", "-c", rules.toString(), "--min-change", "12").exitCode(),
                "--min-change beats the config");
        assertEquals(4, compare("--fail-on-regression=5").exitCode(), "an attached PCT as before");
        CliRun json = compare("--output", "json", "-c", rules.toString());
        assertEquals(0, json.exitCode(), "without --fail-on-regression a regression is reported, not failed");
        JsonNode root = Json.MAPPER.readTree(json.out());
        assertEquals(false, root.get("fail_on_regression").asBoolean());
        assertEquals(9.0, root.get("min_change").get("rules").get(0).get("min_change_percent").asDouble());
        JsonNode web2 = root.get("rows").get(1);
        assertEquals("web-2", web2.get("host").asText());
        assertEquals(9.0, web2.get("min_change_percent").asDouble());
        assertEquals(true, web2.get("regression").asBoolean());
        assertEquals(false, root.get("rows").get(0).get("regression").asBoolean(), "web-1: 8.09 % < 9 %");
        assertEquals(2, compare("--fail-on-regression", "5", "--min-change", "5").exitCode(), "the minimum twice");
        assertEquals(2, compare("--fail-on-regression", "-c", runs.resolve("missing.yaml").toString()).exitCode());
    }

    @Test
    void jsonHasOneObjectWithEveryRowAndTheLevelEachIntervalIsDrawnAt() throws Exception {
        run("base", 0);
        run("new", 3);
        CliRun r = compare("--output", "json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode root = Json.MAPPER.readTree(r.out());
        assertEquals("welch", root.get("test").asText());
        assertEquals("holm", root.get("primary_correction").asText());
        assertEquals("hedges_g", root.get("effect_size").asText());
        JsonNode rows = root.get("rows");
        assertEquals(4, rows.size(), "web-1 and web-2 and all hosts for cpu.ops, web-1 for p99");
        JsonNode web1 = rows.get(0);
        assertEquals("web-1", web1.get("host").asText());
        assertEquals(true, web1.get("primary").asBoolean());
        assertEquals("welch", web1.get("test").asText());
        assertEquals(1235.4, web1.get("base").get("mean").asDouble(), 1e-9);
        assertEquals(1238.4, web1.get("new").get("mean").asDouble(), 1e-9);
        assertTrue(web1.get("ci_low").asDouble() < 0 && web1.get("ci_high").asDouble() > 0, web1.toString());
        assertEquals("all hosts", rows.get(2).get("host").asText());
        assertEquals(10, rows.get(2).get("base").get("n").asInt());
        assertEquals("not significant", rows.get(2).get("verdict").asText());
        double level = rows.get(2).get("ci_level").asDouble();
        assertTrue(level == 1 - 0.05 / 4 || level == 1 - 0.05 / 3 || level == 1 - 0.05 / 2 || level == 0.95,
                "a Holm step's level: " + level);
    }

    @Test
    void badOptionsAreUsageErrors() throws Exception {
        run("base", 0);
        run("new", 0);
        assertEquals(2, compare("--test", "welch").exitCode(), "Welch is the only test: --test is gone");
        assertEquals(2, compare("--alpha", "1.5").exitCode());
        assertEquals(2, compare("--fail-on-regression", "-1").exitCode());
        assertEquals(2, CliRun.run("compare", "base", "missing", "--output-dir", runs.toString()).exitCode());
        assertEquals(2, CliRun.run("compare", "base").exitCode());
    }

    @Test
    void aRunThatCannotBeReadExitsOne() throws Exception {
        run("base", 0);
        Files.createDirectories(runs.resolve("new"));
        CliRun r = compare();
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("no journal.jsonl in"), r.err());
    }

    @Test
    void noRegressionIsNotClaimedForSeriesTheNewRunLacksCannotTellExitsThree() throws Exception {
        run("base", 0);
        new JournalFixture("new").parser("declared")
                .doneSeries("web-1", "cpu", "cpu.ops", "ops/s", 1230, 1240, 1235, 1228, 1244)
                .unparsed("web-2", "cpu", 1, "declared result unparsed: no result")
                .writeTo(runs);
        CliRun r = compare("--fail-on-regression", "5");
        assertEquals(3, r.exitCode(), r.out() + r.err());
        assertEquals("lb: cannot tell whether new changed: 2 series of the base have no results in it, e.g. web-1 lat"
                + " p99 (ms)\n", r.err());
        assertEquals(3, compare().exitCode(), "without --fail-on-regression too: the comparison is not whole");
    }

    @Test
    void runsSharingNoSeriesCannotTellExitsThree() throws Exception {
        run("base", 0);
        new JournalFixture("new").parser("declared").doneSeries("web-9", "io", "iops", "ops/s", 1, 2, 3).writeTo(runs);
        CliRun r = compare();
        assertEquals(3, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("nothing to compare: no host, workload and metric has results in both runs"),
                r.out());
        assertEquals("lb: cannot tell whether new changed: the runs share no result series\n", r.err());
    }

    @Test
    void changedWorkloadDefinitionsAreListedFromEachRunsVarsJson() throws Exception {
        run("base", 0);
        run("new", 0);
        vars("base", "matrixprod");
        vars("new", "int64");
        CliRun r = compare();
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("workload definitions changed (base -> new):\n"
                + "  cpu: argv stress-ng --cpu 1 --cpu-method matrixprod -> stress-ng --cpu 1 --cpu-method int64\n"),
                r.out());
        JsonNode defs = Json.MAPPER.readTree(compare("--output", "json").out()).get("workload_definitions");
        assertEquals(1, defs.get("differences").size());
        assertEquals("cpu", defs.get("differences").get(0).get("workload").asText());
        assertEquals("argv", defs.get("differences").get(0).get("field").asText());
        assertEquals(0, defs.get("not_recorded").size());
    }

    @Test
    void aRunWithoutVarsJsonSaysItsDefinitionsWereNotRecorded() throws Exception {
        run("base", 0);
        run("new", 0);
        vars("new", "int64");
        CliRun r = compare();
        assertTrue(r.out().contains("\nbase: workload definitions not recorded (no vars.json)\n"), r.out());
    }

    private void vars(String run, String method) throws Exception {
        Files.writeString(runs.resolve(run).resolve("vars.json"), """
                {"lb_run_id": "%s", "lb_workloads": [
                  {"name": "cpu", "type": "stress-ng", "argv": ["stress-ng", "--cpu", "1", "--cpu-method", "%s"],
                   "env": [], "metrics_interval_s": 1.0},
                  {"name": "lat", "type": "command", "argv": ["./probe"], "env": [], "metrics_interval_s": 1.0}]}
                """.formatted(run, method));
    }
}

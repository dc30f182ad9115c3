package dev.lb.controller.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.results.Unit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunComparisonTest {
    @TempDir
    Path runs;

    private RunResults results(JournalFixture f) throws Exception {
        List<String> problems = new ArrayList<>();
        RunResults r = RunResults.of(ResultEvents.read(f.writeTo(runs), problems::add));
        assertEquals(List.of(), problems);
        return r;
    }

    private static RunComparison compare(RunResults base, RunResults candidate) {
        return RunComparison.of(base, candidate, 0.05, WorkloadDefinitions.Changes.NONE);
    }

    private static RunComparison.Row row(RunComparison c, String host, String metric) {
        return c.rows().stream().filter(r -> r.host().equals(host) && r.series().metric().equals(metric)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + host + " " + metric + " in " + c.rows()));
    }

    /** A stress-ng run: the throughput (primary), its wall clock (fixed by --timeout) and its peak memory. */
    private RunResults stressNg(String id, double ops, double rssKib) throws Exception {
        JournalFixture f = new JournalFixture(id);
        double[] noise = {0.0, 0.4, -0.3, 0.2, -0.1};
        for (int rep = 1; rep <= 5; rep++) {
            f.result("web-1", "cpu", rep, "cpu.bogo_ops_per_s_real", ops * (1 + noise[rep - 1] / 100), "ops/s",
                    "cpu.wall_clock_s", 10.0 + noise[rep - 1] / 100, "s", "cpu.max_rss", rssKib + rep, "KiB");
            f.end("web-1", "cpu", rep, "done", "rc=0");
        }
        return results(f);
    }

    @Test
    void theParsersRegistrySaysEachSeriesDirectionAndTheWorkloadsPrimary() throws Exception {
        SeriesRoles roles = stressNg("base", 1000, 5000).roles();
        assertEquals(new SeriesRoles.Role("stress-ng", Unit.Direction.HIGHER_IS_BETTER, true),
                roles.of(new RunResults.SeriesKey("cpu", "cpu.bogo_ops_per_s_real", "ops/s")));
        assertEquals(new SeriesRoles.Role("stress-ng", Unit.Direction.NONE, false),
                roles.of(new RunResults.SeriesKey("cpu", "cpu.wall_clock_s", "s")), "as long as --timeout asked");
    }

    @Test
    void onlyThePrimaryMetricGetsAVerdictTheOthersAQValueAndNeverBetterOrWorse() throws Exception {
        RunComparison c = compare(stressNg("base", 1000, 5000), stressNg("new", 1000, 9000));
        RunComparison.Row ops = row(c, "web-1", "cpu.bogo_ops_per_s_real");
        assertEquals("no change", ops.verdict(), "the same values");
        assertEquals(RunComparison.HOLM, ops.judgement().correction());
        RunComparison.Row rss = row(c, "web-1", "cpu.max_rss");
        assertEquals(RunComparison.BH, rss.judgement().correction());
        assertTrue(rss.judgement().adjusted() < 0.0001, "peak memory grew 80 %: q " + rss.judgement().adjusted());
        assertNull(rss.verdict());
        assertNull(rss.outcome());
        assertEquals(List.of(), c.regressionsBeyond(dev.lb.history.gate.MinimumChange.uniform(0)));
    }

    @Test
    void aPrimaryMetricWithoutADirectionIsChangedAndNeverARegression() throws Exception {
        RunComparison c = compare(
                results(new JournalFixture("base").parser("declared").doneSeries("web-1", "q", "depth", "count",
                        10, 11, 10, 11, 10)),
                results(new JournalFixture("new").parser("declared").doneSeries("web-1", "q", "depth", "count",
                        20, 21, 20, 21, 20)));
        RunComparison.Row depth = row(c, "web-1", "depth");
        assertEquals("significant", depth.verdict());
        assertEquals("changed", depth.outcome());
        assertEquals(List.of(), c.regressionsBeyond(dev.lb.history.gate.MinimumChange.uniform(0)));
    }

    @Test
    void aCommandWorkloadWithoutDeclaredResultsIsJudgedByItsWallTimeLowerIsBetter() throws Exception {
        RunComparison c = compare(
                results(new JournalFixture("base").parser(null).doneSeries("web-1", "build", "wall_time", "s",
                        60.1, 60.4, 59.8, 60.2, 60.0)),
                results(new JournalFixture("new").parser(null).doneSeries("web-1", "build", "wall_time", "s",
                        66.3, 66.0, 66.5, 65.9, 66.2)));
        RunComparison.Row wall = row(c, "web-1", "wall_time");
        assertTrue(wall.primary());
        assertEquals("worse", wall.outcome());
        assertEquals(List.of(wall), c.regressionsBeyond(dev.lb.history.gate.MinimumChange.uniform(5)), "10 % slower");
    }

    @Test
    void holmCorrectsAcrossEveryPrimaryRowOfTheComparisonPerHostAndPooled() throws Exception {
        JournalFixture base = new JournalFixture("base").parser("declared");
        JournalFixture candidate = new JournalFixture("new").parser("declared");
        for (String host : List.of("web-1", "web-2")) {
            base.doneSeries(host, "a", "ops", "ops/s", 100, 101, 99, 100.5, 99.5);
            candidate.doneSeries(host, "a", "ops", "ops/s", 90, 91, 89, 90.5, 89.5);
            base.doneSeries(host, "b", "ops", "ops/s", 100, 103, 97, 101, 99);
            candidate.doneSeries(host, "b", "ops", "ops/s", 100, 102, 98, 101, 99);
        }
        RunComparison c = compare(results(base), results(candidate));
        assertEquals(6, c.rows().size(), "two hosts and all hosts, for two workloads");
        assertTrue(c.rows().stream().allMatch(RunComparison.Row::primary));
        RunComparison.Row first = c.rows().stream().min(java.util.Comparator.comparingDouble(
                r -> r.difference().pValue())).orElseThrow();
        assertEquals(1 - 0.05 / 6, first.judgement().interval().level(), 1e-12,
                "the smallest p-value is held to alpha / 6, and its interval drawn at that level");
        assertEquals(3, c.regressionsBeyond(dev.lb.history.gate.MinimumChange.uniform(5)).size(), "workload a, 10 % down on web-1, web-2 and all hosts");
        assertTrue(c.rows().stream().filter(r -> r.series().workload().equals("b"))
                .allMatch(r -> "not significant".equals(r.verdict()) || "no change".equals(r.verdict())));
    }
}

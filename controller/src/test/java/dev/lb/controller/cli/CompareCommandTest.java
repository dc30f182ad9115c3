package dev.lb.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.controller.results.JournalFixture;
import dev.lb.protocol.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {
    @TempDir
    Path runs;

    private void run(String id, double shift) throws Exception {
        new JournalFixture(id)
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
        String pooled = r.out().lines().filter(l -> l.trim().startsWith("all hosts")).findFirst().orElseThrow();
        assertTrue(pooled.endsWith("~"), "pooled, the 235 ops/s between the hosts hides the 100 ops/s drop: " + pooled);
        String web1 = r.out().lines().filter(l -> l.trim().startsWith("web-1") && l.contains("ops/s")).findFirst()
                .orElseThrow();
        assertTrue(web1.contains("-8.09 %") && web1.contains("Mann-Whitney U p = 0.0079") && web1.endsWith("worse"),
                "five against five: --test auto takes Mann-Whitney U; " + web1);
        String welch = compare("--test", "welch").out().lines().filter(l -> l.trim().startsWith("web-1")
                && l.contains("ops/s")).findFirst().orElseThrow();
        assertTrue(welch.contains("Welch t p < 0.0001"), welch);
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("web-1") && l.endsWith("no change")),
                "the latency did not change\n" + r.out());
        assertEquals(0, compare("--fail-on-regression", "10").exitCode(),
                "web-1 drops 8.09 %, web-2 exactly 10 %: neither is beyond 10 %");
        assertEquals(0, compare().exitCode(), "without --fail-on-regression a regression is reported, not failed");
    }

    @Test
    void jsonHasOneObjectWithEveryRow() throws Exception {
        run("base", 0);
        run("new", 3);
        CliRun r = compare("--output", "json", "--test", "auto");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode root = Json.MAPPER.readTree(r.out());
        assertEquals("auto", root.get("test").asText());
        assertEquals("hedges_g", root.get("effect_size").asText());
        JsonNode rows = root.get("rows");
        assertEquals(4, rows.size(), "web-1 and web-2 and all hosts for cpu.ops, web-1 for p99");
        JsonNode web1 = rows.get(0);
        assertEquals("web-1", web1.get("host").asText());
        assertEquals("mann-whitney", web1.get("test").asText());
        assertEquals(1235.4, web1.get("base").get("mean").asDouble(), 1e-9);
        assertEquals(1238.4, web1.get("new").get("mean").asDouble(), 1e-9);
        assertEquals("all hosts", rows.get(2).get("host").asText());
        assertEquals(10, rows.get(2).get("base").get("n").asInt());
        assertTrue(rows.get(2).get("p_value").asDouble() > 0.05);
        assertEquals("not significant", rows.get(2).get("verdict").asText());
    }

    @Test
    void badOptionsAreUsageErrors() throws Exception {
        run("base", 0);
        run("new", 0);
        assertEquals(2, compare("--test", "ks").exitCode());
        assertEquals(2, compare("--alpha", "1.5").exitCode());
        assertEquals(2, compare("--fail-on-regression", "-1").exitCode());
        assertEquals(2, CliRun.run("compare", "base", "missing", "--output-dir", runs.toString()).exitCode());
        assertEquals(2, CliRun.run("compare", "base").exitCode());
    }

    @Test
    void noRegressionIsNotClaimedForSeriesTheNewRunLacks() throws Exception {
        run("base", 0);
        new JournalFixture("new")
                .doneSeries("web-1", "cpu", "cpu.ops", "ops/s", 1230, 1240, 1235, 1228, 1244)
                .unparsed("web-2", "cpu", 1, "stress-ng result unparsed: no result")
                .writeTo(runs);
        CliRun r = compare("--fail-on-regression", "5");
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("cannot tell whether new regressed: 2 series of the base have no results in it"),
                r.err());
        assertEquals(0, compare().exitCode(), "without --fail-on-regression the missing series are listed, not failed");
    }
}

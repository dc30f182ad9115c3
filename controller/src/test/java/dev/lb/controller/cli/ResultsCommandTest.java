package dev.lb.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.controller.analysis.JournalFixture;
import dev.lb.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsCommandTest {
    @TempDir
    Path runs;

    private Path cpuRun() throws Exception {
        JournalFixture f = new JournalFixture("r1")
                .doneSeries("web-1", "cpu", "cpu.ops", "ops/s", 1230, 1240, 1235, 1228, 1244)
                .doneSeries("web-2", "cpu", "cpu.ops", "ops/s", 1000, 1010, 1005, 995, 990);
        f.result("web-2", "cpu", 6, "cpu.ops", 3.0, "ops/s").end("web-2", "cpu", 6, "failed",
                "stress-ng exited 2 \u001b[31mred\u001b[0m");
        f.unparsed("web-1", "cpu", 6, "no metrics line\u001b]0;title\u0007").end("web-1", "cpu", 6, "done", "ok");
        return f.writeTo(runs);
    }

    @Test
    void printsATablePerWorkloadAndWritesBothFiles() throws Exception {
        Path dir = cpuRun();
        CliRun r = CliRun.run("results", "r1", "--output-dir", runs.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("results of run r1", lines.get(0));
        assertEquals("workload cpu", lines.get(2));
        assertTrue(lines.get(3).matches("  HOST\\s+METRIC\\s+MEAN ± STDEV\\s+MEDIAN\\s+P95\\s+CV\\s+N\\s+FLAGS"), lines.get(3));
        // web-1: mean 1235.4, sample stdev sqrt(179.2 / 4) = 6.693, median 1235, p95 (type 7) 1243.2; four
        // significant figures shown. web-2: mean 1000, stdev sqrt(250 / 4) = 7.906, cv 0.79 %.
        assertTrue(lines.get(4).matches("  web-1\\s+cpu\\.ops\\s+1235 ops/s ± 6\\.7 ops/s\\s+1235 ops/s\\s+1243 ops/s"
                + "\\s+0\\.5 %\\s+5\\s*"), lines.get(4));
        assertTrue(lines.get(5).matches("  web-2\\s+cpu\\.ops\\s+1000 ops/s ± 7\\.9 ops/s\\s+1000 ops/s\\s+.*\\s+0\\.8 %"
                + "\\s+5\\s*"), lines.get(5));
        assertTrue(lines.get(6).matches("  fleet \\(sum\\) of 2\\s+cpu\\.ops\\s+2235 ops/s ± .*\\s+5\\s*"), lines.get(6));
        assertTrue(lines.subList(2, 7).stream().allMatch(l -> l.length() <= 100), "a narrow table: " + r.out());
        assertTrue(r.out().contains("excluded: web-2 cpu repetition 6 ended failed: stress-ng exited 2 red"), r.out());
        assertTrue(r.out().contains("unparsed: web-1 cpu repetition 6: no metrics line"), r.out());
        assertFalse(r.out().contains("\u001b"), "text from events is made inert");
        assertTrue(Files.exists(dir.resolve("results.json")));
        assertTrue(Files.exists(dir.resolve("results.csv")));
    }

    @Test
    void jsonOutputIsResultsJson() throws Exception {
        Path dir = cpuRun();
        CliRun r = CliRun.run("results", dir.toString(), "--output", "json");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(Files.readString(dir.resolve("results.json")), r.out());
        assertEquals(1235.4, Json.MAPPER.readTree(r.out()).get("results").get(0).get("mean").asDouble(), 1e-9);
    }

    @Test
    void lastNamesTheNewestRun() throws Exception {
        cpuRun();
        new dev.lb.controller.run.RunRecord("r1", "cfg", "a", 1_000, List.of("h"), List.of("w"), 1, "i", "v", false)
                .write(runs.resolve("r1"));
        CliRun r = CliRun.run("results", "last", "--output-dir", runs.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("results of run r1"), r.out());
    }

    @Test
    void aDamagedJournalIsReadAsFarAsPossibleAndExitsOne() throws Exception {
        Path dir = new JournalFixture("r2").doneSeries("h", "w", "m", "ms", 1, 2).raw("{\"received\": 1,").writeTo(runs);
        CliRun r = CliRun.run("results", dir.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("journal.jsonl:5: unreadable record"), r.err());
        assertTrue(r.out().contains("1.500 ms ± 0.707 ms"), r.out());
    }

    @Test
    void noJournalExitsOneAndNoRunIsUsage() throws Exception {
        Files.createDirectories(runs.resolve("empty"));
        CliRun r = CliRun.run("results", runs.resolve("empty").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("lb: no journal.jsonl in "), r.err());
        assertEquals(2, CliRun.run("results", "nope", "--output-dir", runs.toString()).exitCode());
        assertEquals(2, CliRun.run("results").exitCode());
    }
}

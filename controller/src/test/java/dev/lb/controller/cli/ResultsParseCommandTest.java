package dev.lb.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsParseCommandTest {
    private static final Path FIXTURES = Path.of(System.getProperty("lb.testdata", "../testdata"), "results");

    @Test
    void textIsAnAlignedTableOfNameValueAndUnit() {
        Path f = FIXTURES.resolve("stress-ng-0.15.06-cpu.yaml");
        CliRun r = CliRun.run("results", "parse", "--parser", "stress-ng", f.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        assertEquals(String.join("\n",
                "metric                        value  unit",
                "cpu.bogo_ops                    644  ops",
                "cpu.bogo_ops_per_s_real  321.434083  ops/s",
                "cpu.bogo_ops_per_s_cpu   1120.32733  ops/s",
                "cpu.wall_clock_s           2.003521  s",
                "cpu.user_s                 0.561903  s",
                "cpu.system_s               0.012929  s",
                "cpu.cpu_per_instance      28.691086  %",
                "cpu.max_rss                    6496  KiB",
                ""), r.out().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void jsonIsOneObjectWithTheParserAndItsMetrics() throws IOException {
        Path f = FIXTURES.resolve("fio-3.33-one-read.json");
        CliRun r = CliRun.run("results", "parse", "--parser", "fio", "--output", "json", f.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(1, r.out().lines().count());
        JsonNode root = Json.MAPPER.readTree(r.out());
        assertEquals("fio", root.path("parser").asText());
        assertEquals(7, root.path("metrics").size());
        JsonNode iops = root.path("metrics").get(1);
        assertEquals("seqread.read.iops", iops.path("name").asText());
        assertEquals(136080.339321, iops.path("value").asDouble());
        assertEquals("ops/s", iops.path("unit").asText());
        assertEquals("us", root.path("metrics").get(6).path("unit").asText());
    }

    @Test
    void everyParserIsReachable() {
        assertEquals(0, CliRun.run("results", "parse", "--parser", "sysbench",
                FIXTURES.resolve("sysbench-1.0.20-memory.txt").toString()).exitCode());
        CliRun k6 = CliRun.run("results", "parse", "--parser", "k6",
                FIXTURES.resolve("k6-legacy-summary-export.json").toString());
        assertEquals(0, k6.exitCode(), k6.err());
        // 0.0025210084033613447 in the file, as a percentage (one rounding of the product in the last digit)
        assertTrue(k6.out().contains("\nhttp_req_failed.rate   0.25210084033613445  %\n"), k6.out());
    }

    @Test
    void aDamagedFileIsExitOneWithOneLineNamingTheFile() {
        Path f = FIXTURES.resolve("fio-3.33-trim-error.json");
        CliRun r = CliRun.run("results", "parse", "--parser", "fio", f.toString());
        assertEquals(1, r.exitCode());
        assertEquals("", r.out());
        assertEquals("lb results parse: " + f + ": job trimmer failed with error 25 (an errno; fio's stderr says"
                + " more)\n", r.err().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void aMissingFileIsExitOne(@TempDir Path dir) {
        Path f = dir.resolve("nothing.yaml");
        CliRun r = CliRun.run("results", "parse", "--parser", "stress-ng", f.toString());
        assertEquals(1, r.exitCode());
        assertEquals("lb results parse: " + f + ": no such file\n", r.err().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void controlCharactersInAFileNameAreShownInert(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("evil\u001b[2Jname.txt");
        Files.writeString(f, "");
        CliRun r = CliRun.run("results", "parse", "--parser", "sysbench", f.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("evilname.txt: is empty"), r.err());
        assertTrue(!r.err().contains("\u001b"), r.err());
    }

    @Test
    void anUnknownParserIsAUsageErrorListingTheKnownOnes() {
        CliRun r = CliRun.run("results", "parse", "--parser", "iperf3", "x.json");
        assertEquals(2, r.exitCode());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("lb: unknown parser 'iperf3' for --parser (known: fio, k6, stress-ng,"
                + " sysbench)"), r.err());
    }

    @Test
    void anUnknownOutputFormatIsAUsageError() {
        CliRun r = CliRun.run("results", "parse", "--parser", "fio", "--output", "csv",
                FIXTURES.resolve("fio-3.33-one-read.json").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--output"), r.err());
    }

    @Test
    void resultsAloneAsksForARun() {
        CliRun r = CliRun.run("results");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("RUN is required (a run id, a run directory or 'last')"), r.err());
    }
}

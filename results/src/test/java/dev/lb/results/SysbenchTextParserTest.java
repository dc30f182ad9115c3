package dev.lb.results;

import static dev.lb.results.Fixtures.assertMetric;
import static dev.lb.results.Fixtures.names;
import static dev.lb.results.Fixtures.printed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SysbenchTextParserTest {
    private final SysbenchTextParser parser = new SysbenchTextParser();

    @Test
    void cpuGivesEventRateTotalsAndLatency() throws Exception {
        String f = "sysbench-1.0.20-cpu.txt";
        ParsedResult r = parser.parse(Fixtures.path(f));
        assertEquals("sysbench", r.parser());
        assertEquals(List.of("events_per_s", "total_time", "total_events", "latency_min", "latency_avg", "latency_max",
                "latency_p95"), names(r));
        printed(f, "events per second:  1521.88\n");
        printed(f, "total time:                          2.0016s\n");
        printed(f, "total number of events:              3050\n");
        printed(f, "min:                                    0.28\n");
        printed(f, "avg:                                    0.65\n");
        printed(f, "max:                                   13.56\n");
        printed(f, "95th percentile:                        2.22\n");
        assertMetric(r, "events_per_s", 1521.88, Unit.EVENTS_PER_S);
        assertMetric(r, "total_time", 2.0016, Unit.S);
        assertMetric(r, "total_events", 3050, Unit.EVENTS);
        assertMetric(r, "latency_min", 0.28, Unit.MS);
        assertMetric(r, "latency_avg", 0.65, Unit.MS);
        assertMetric(r, "latency_max", 13.56, Unit.MS);
        assertMetric(r, "latency_p95", 2.22, Unit.MS);
    }

    @Test
    void theAskedForPercentileIsNamedAfterItself() throws Exception {
        String f = "sysbench-1.0.20-cpu-2threads-p99.txt";
        printed(f, "99th percentile:                       16.71\n");
        ParsedResult r = parser.parse(Fixtures.path(f));
        assertMetric(r, "latency_p99", 16.71, Unit.MS);
        assertEquals(List.of(), names(r).stream().filter(n -> n.equals("latency_p95")).toList());
    }

    @Test
    void memoryGivesTransferAndOperations() throws Exception {
        String f = "sysbench-1.0.20-memory.txt";
        printed(f, "Total operations: 2097152 (1754621.13 per second)\n");
        printed(f, "2048.00 MiB transferred (1713.50 MiB/sec)\n");
        ParsedResult r = parser.parse(Fixtures.path(f));
        assertMetric(r, "total_operations", 2097152, Unit.OPS);
        assertMetric(r, "ops_per_s", 1754621.13, Unit.OPS_PER_S);
        assertMetric(r, "mib_transferred", 2048.00, Unit.MIB);
        assertMetric(r, "mib_per_s", 1713.50, Unit.MIB_PER_S);
        assertMetric(r, "total_time", 1.1941, Unit.S);
        assertEquals(10, r.metrics().size(), names(r).toString());
    }

    @Test
    void fileioGivesOperationRatesAndThroughput() throws Exception {
        String f = "sysbench-1.0.20-fileio-rndrw.txt";
        printed(f, "reads/s:                      7489.07\n");
        printed(f, "writes/s:                     4992.71\n");
        printed(f, "fsyncs/s:                     500.27\n");
        printed(f, "read, MiB/s:                  117.02\n");
        printed(f, "written, MiB/s:               78.01\n");
        printed(f, "max:                                  168.42\n");
        ParsedResult r = parser.parse(Fixtures.path(f));
        assertMetric(r, "reads_per_s", 7489.07, Unit.OPS_PER_S);
        assertMetric(r, "writes_per_s", 4992.71, Unit.OPS_PER_S);
        assertMetric(r, "fsyncs_per_s", 500.27, Unit.OPS_PER_S);
        assertMetric(r, "read_mib_per_s", 117.02, Unit.MIB_PER_S);
        assertMetric(r, "written_mib_per_s", 78.01, Unit.MIB_PER_S);
        assertMetric(r, "latency_max", 168.42, Unit.MS);
        assertEquals(11, r.metrics().size(), names(r).toString());
    }

    @Test
    void sequentialFileioModesParseToo() throws Exception {
        printed("sysbench-1.0.20-fileio-seqrd.txt", "read, MiB/s:                  2966.72\n");
        assertMetric(parser.parse(Fixtures.path("sysbench-1.0.20-fileio-seqrd.txt")), "read_mib_per_s", 2966.72,
                Unit.MIB_PER_S);
        printed("sysbench-1.0.20-fileio-seqwr.txt", "total number of events:              9546\n");
        assertMetric(parser.parse(Fixtures.path("sysbench-1.0.20-fileio-seqwr.txt")), "total_events", 9546,
                Unit.EVENTS);
    }

    @Test
    void threadsAndMutexGiveTheSharedStatistics() throws Exception {
        printed("sysbench-1.0.20-threads.txt", "total number of events:              1341\n");
        printed("sysbench-1.0.20-threads.txt", "95th percentile:                        3.96\n");
        ParsedResult threads = parser.parse(Fixtures.path("sysbench-1.0.20-threads.txt"));
        assertEquals(List.of("total_time", "total_events", "latency_min", "latency_avg", "latency_max", "latency_p95"),
                names(threads));
        assertMetric(threads, "total_events", 1341, Unit.EVENTS);
        assertMetric(threads, "latency_p95", 3.96, Unit.MS);
        printed("sysbench-1.0.20-mutex.txt", "avg:                                  780.77\n");
        assertMetric(parser.parse(Fixtures.path("sysbench-1.0.20-mutex.txt")), "latency_avg", 780.77, Unit.MS);
    }

    @Test
    void aFatalErrorIsQuoted() {
        Path f = Fixtures.path("sysbench-1.0.20-fileio-not-prepared.txt");
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser.parse(f));
        assertEquals(f + ": sysbench failed: FATAL: Cannot open file 'test_file.0' errno = 2 (No such file or directory)",
                e.getMessage());
    }

    @Test
    void truncatedCaptureIsRefused() {
        Path f = Fixtures.path("sysbench-1.0.20-cpu.truncated.txt");
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser.parse(f));
        assertEquals(f + ": ends before sysbench's 'Threads fairness' block (truncated?)", e.getMessage());
    }

    @Test
    void otherTextIsNotSysbenchOutput() {
        Path f = Fixtures.path("fio-3.33-normal-output.txt");
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser.parse(f));
        assertEquals(f + ": no sysbench 'General statistics' (not sysbench run output?)", e.getMessage());
    }

    @Test
    void aNumberTooLargeForADoubleIsRefusedNotPassedOnAsInfinity(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        String text = java.nio.file.Files.readString(Fixtures.path("sysbench-1.0.20-cpu.txt"))
                .replaceFirst("events per second: *[0-9.]+", "events per second: 1e400");
        Path f = java.nio.file.Files.writeString(dir.resolve("inf.txt"), text);
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser.parse(f));
        assertTrue(e.getMessage().startsWith(f + ": ") && e.getMessage().contains("events per second"),
                e.getMessage());
    }

    /**
     * Issue 29: `events per second: nan` (what sysbench prints when the time it measured is 0) matched no pattern,
     * the metric was dropped and the result accepted. nan, inf and negative figures are named: result_unparsed.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "nan, 'metric events_per_s is not a finite number: nan'",
        "-nan, 'metric events_per_s is not a finite number: -nan'",
        "inf, 'metric events_per_s is not a finite number: inf'",
        "-12.5, 'metric events_per_s is negative (-12.5), which it cannot be'"})
    void aFigureThatIsNoMeasurementIsNamedNeverDropped(String figure, String why,
                                                      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String text = java.nio.file.Files.readString(Fixtures.path("sysbench-1.0.20-cpu.txt"))
                .replaceFirst("events per second: *[0-9.]+", "events per second: " + figure);
        Path f = java.nio.file.Files.writeString(dir.resolve("cpu.txt"), text);
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser.parse(f));
        assertEquals(f + ": " + why + " in '    events per second: " + figure + "'", e.getMessage());
    }

    @Test
    void aNegativeLatencyIsNamed(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String text = java.nio.file.Files.readString(Fixtures.path("sysbench-1.0.20-cpu.txt"))
                .replaceFirst("(avg: +)[0-9.]+", "$1-0.5");
        Path f = java.nio.file.Files.writeString(dir.resolve("cpu.txt"), text);
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser.parse(f));
        assertTrue(e.getMessage().contains("metric latency_avg is negative (-0.5), which it cannot be"), e.getMessage());
    }
}

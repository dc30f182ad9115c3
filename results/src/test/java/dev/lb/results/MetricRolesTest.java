package dev.lb.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each tool's primary metric, read from the tool's real output, and the directions the parsers declare. */
class MetricRolesTest {
    private static Optional<String> primaryOf(String parser, String fixture) throws Exception {
        ParsedResult r = ResultParsers.named(parser).orElseThrow().parse(Fixtures.path(fixture));
        return ResultParsers.primary(parser, r.metrics().stream().map(Metric::name).toList());
    }

    @Test
    void stressNgsPrimaryIsTheFirstStressorsBogoOpsPerSecondOfRealTime() throws Exception {
        assertEquals(Optional.of("cpu.bogo_ops_per_s_real"), primaryOf("stress-ng", "stress-ng-0.15.06-cpu.yaml"));
        assertEquals(Optional.of("cpu.bogo_ops_per_s_real"),
                primaryOf("stress-ng", "stress-ng-0.15.06-cpu-vm-hdd.yaml"));
    }

    @Test
    void fiosPrimaryIsTheFirstJobsBandwidthInTheFirstDirectionItDidIoIn() throws Exception {
        String onlyRead = primaryOf("fio", "fio-3.33-one-read.json").orElseThrow();
        assertEquals(".read.bw", onlyRead.substring(onlyRead.indexOf('.')));
        String randrw = primaryOf("fio", "fio-3.33-randrw-group.json").orElseThrow();
        assertEquals(".read.bw", randrw.substring(randrw.indexOf('.')), "read comes before write, as fio reports");
    }

    @Test
    void sysbenchsPrimaryIsEventsPerSecondForCpuAndLatencyForFileio() throws Exception {
        assertEquals(Optional.of("events_per_s"), primaryOf("sysbench", "sysbench-1.0.20-cpu.txt"));
        assertEquals(Optional.of("latency_avg"), primaryOf("sysbench", "sysbench-1.0.20-fileio-seqwr.txt"),
                "seqwr reads nothing: reads/s is 0.00 in every run");
    }

    @Test
    void k6sPrimaryIsTheNinetyFifthPercentileOfRequestDuration() throws Exception {
        assertEquals(Optional.of("http_req_duration.p95"), primaryOf("k6", "k6-legacy-summary-export.json"));
    }

    @Test
    void aCommandWorkloadsPrimaryIsItsFirstDeclaredMetricElseWallTime() {
        assertEquals(Optional.of("req_per_s"), ResultParsers.primary("declared", List.of("req_per_s", "p99_ms",
                "wall_time")));
        assertEquals(Optional.of("req_per_s"), ResultParsers.primary("declared", List.of("wall_time", "req_per_s")),
                "wall_time is the fallback, wherever the agent puts it");
        assertEquals(Optional.of("wall_time"), ResultParsers.primary(null, List.of("wall_time")));
        assertEquals(Optional.empty(), ResultParsers.primary(null, List.of()));
    }

    @Test
    void directionsComeFromTheUnitUnlessTheParserKnowsBetter() {
        assertEquals(Unit.Direction.HIGHER_IS_BETTER, ResultParsers.direction("stress-ng", "cpu.bogo_ops_per_s_real",
                Unit.OPS_PER_S));
        assertEquals(Unit.Direction.NONE, ResultParsers.direction("stress-ng", "cpu.wall_clock_s", Unit.S),
                "as long as --timeout asked");
        assertEquals(Unit.Direction.NONE, ResultParsers.direction("sysbench", "total_time", Unit.S));
        assertEquals(Unit.Direction.LOWER_IS_BETTER, ResultParsers.direction("sysbench", "latency_avg", Unit.MS));
        assertEquals(Unit.Direction.LOWER_IS_BETTER, ResultParsers.direction("k6", "http_req_failed.rate",
                Unit.PERCENT));
        assertEquals(Unit.Direction.HIGHER_IS_BETTER, ResultParsers.direction("k6", "checks.rate", Unit.PERCENT));
        assertEquals(Unit.Direction.NONE, ResultParsers.direction("fio", "job.read.io_bytes", Unit.B));
        assertEquals(Unit.Direction.LOWER_IS_BETTER, ResultParsers.direction("declared", "wall_time", Unit.S));
        assertEquals(Unit.Direction.LOWER_IS_BETTER, ResultParsers.direction(null, "wall_time", Unit.S));
        assertEquals(Unit.Direction.NONE, ResultParsers.direction("declared", "queue_depth", Unit.COUNT));
    }
}

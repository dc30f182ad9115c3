package dev.lb.results;

import static dev.lb.results.Fixtures.assertMetric;
import static dev.lb.results.Fixtures.names;
import static dev.lb.results.Fixtures.printed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StressNgYamlParserTest {
    private final StressNgYamlParser parser = new StressNgYamlParser();

    @Test
    void oneStressorGivesItsEightMetricsWithUnits() throws Exception {
        String f = "stress-ng-0.15.06-cpu.yaml";
        ParsedResult r = parser.parse(Fixtures.path(f));
        assertEquals("stress-ng", r.parser());
        assertEquals(List.of("cpu.bogo_ops", "cpu.bogo_ops_per_s_real", "cpu.bogo_ops_per_s_cpu", "cpu.wall_clock_s",
                "cpu.user_s", "cpu.system_s", "cpu.cpu_per_instance", "cpu.max_rss"), names(r));
        printed(f, "bogo-ops: 644\n");
        printed(f, "bogo-ops-per-second-usr-sys-time: 1120.327330\n");
        printed(f, "bogo-ops-per-second-real-time: 321.434083\n");
        printed(f, "wall-clock-time: 2.003521\n");
        printed(f, "user-time: 0.561903\n");
        printed(f, "system-time: 0.012929\n");
        printed(f, "cpu-usage-per-instance: 28.691086\n");
        printed(f, "max-rss: 6496\n");
        assertMetric(r, "cpu.bogo_ops", 644, Unit.OPS);
        assertMetric(r, "cpu.bogo_ops_per_s_real", 321.434083, Unit.OPS_PER_S);
        assertMetric(r, "cpu.bogo_ops_per_s_cpu", 1120.327330, Unit.OPS_PER_S);
        assertMetric(r, "cpu.wall_clock_s", 2.003521, Unit.S);
        assertMetric(r, "cpu.user_s", 0.561903, Unit.S);
        assertMetric(r, "cpu.system_s", 0.012929, Unit.S);
        assertMetric(r, "cpu.cpu_per_instance", 28.691086, Unit.PERCENT);
        assertMetric(r, "cpu.max_rss", 6496, Unit.KIB);
    }

    @Test
    void severalStressorsAllComeOutInFileOrder() throws Exception {
        String f = "stress-ng-0.15.06-cpu-vm-hdd.yaml";
        ParsedResult r = parser.parse(Fixtures.path(f));
        assertEquals(24, r.metrics().size());
        assertEquals("cpu.bogo_ops", names(r).get(0));
        assertEquals("vm.bogo_ops", names(r).get(8));
        assertEquals("hdd.bogo_ops", names(r).get(16));
        printed(f, "bogo-ops: 242\n");
        printed(f, "bogo-ops-per-second-real-time: 626.270456\n");
        printed(f, "max-rss: 34956\n");
        printed(f, "bogo-ops-per-second-usr-sys-time: 16147.383991\n");
        assertMetric(r, "cpu.bogo_ops", 242, Unit.OPS);
        assertMetric(r, "vm.bogo_ops_per_s_real", 626.270456, Unit.OPS_PER_S);
        assertMetric(r, "vm.max_rss", 34956, Unit.KIB);
        assertMetric(r, "hdd.bogo_ops_per_s_cpu", 16147.383991, Unit.OPS_PER_S);
        assertTrue(names(r).stream().noneMatch(n -> n.contains("mbsec")), "stressor-specific extras are left out");
    }

    @Test
    void truncatedFileIsRefusedEvenThoughItsStartParses() {
        Path f = Fixtures.path("stress-ng-0.15.06-cpu-vm-hdd.truncated.yaml");
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser.parse(f));
        assertEquals(f + ": no closing '...' line: stress-ng did not finish writing it (truncated?)", e.getMessage());
    }

    @Test
    void otherTextIsNotStressNgYaml() {
        Path f = Fixtures.path("sysbench-1.0.20-cpu.txt");
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser.parse(f));
        assertEquals(f + ": not stress-ng's YAML, which starts with '---' (was it run with --yaml FILE?)",
                e.getMessage());
    }

    @Test
    void runWithoutMetricsSaysSo() {
        Path f = Fixtures.path("stress-ng-0.15.06-no-metrics.yaml");
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser.parse(f));
        assertEquals(f + ": no 'metrics' list (was stress-ng run with --metrics?)", e.getMessage());
    }

    @Test
    void aValueThatIsNotANumberIsNamed(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, Files.readString(Fixtures.path("stress-ng-0.15.06-cpu.yaml"))
                .replace("wall-clock-time: 2.003521", "wall-clock-time: soon"));
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser.parse(f));
        assertEquals(f + ": stressor cpu: wall-clock-time is not a number: soon", e.getMessage());
    }

    @Test
    void aMissingRequiredFieldIsNamed(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("short.yaml");
        Files.writeString(f, Files.readString(Fixtures.path("stress-ng-0.15.06-cpu.yaml"))
                .replace("      user-time: 0.561903\n", ""));
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser.parse(f));
        assertEquals(f + ": stressor cpu has no user-time", e.getMessage());
    }

    @Test
    void invalidYamlNamesTheLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("broken.yaml");
        Files.writeString(f, "---\nmetrics:\n    - stressor: cpu\n  bogo-ops: [1\n...\n");
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser.parse(f));
        assertTrue(e.getMessage().startsWith(f + ": not valid YAML at line "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}

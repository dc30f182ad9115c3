package dev.lb.controller.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.lb.protocol.Event;
import dev.lb.protocol.EventStatus;
import dev.lb.protocol.EventType;
import dev.lb.protocol.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoiseWarningsTest {
    private long seq;

    private Event started(String host, String workload, int rep, String... argv) {
        ArrayNode command = Json.MAPPER.createArrayNode();
        for (String a : argv) {
            command.add(a);
        }
        return Event.builder(host, workload, rep, EventStatus.RUNNING).runId("r1").src("agent").seq(++seq)
                .message("started").extra("command", command).build();
    }

    /** A metric event: name/value pairs, and the top other process's name when not null. */
    private Event sample(String host, String workload, int rep, String top, Object... nameValue) {
        ArrayNode metrics = Json.MAPPER.createArrayNode();
        for (int i = 0; i < nameValue.length; i += 2) {
            metrics.addObject().put("name", (String) nameValue[i]).put("value", ((Number) nameValue[i + 1]).doubleValue())
                    .put("unit", "%");
        }
        var b = Event.builder(host, workload, rep, EventStatus.RUNNING).runId("r1").src("agent").seq(++seq)
                .type(EventType.METRIC).message("system").extra("metrics", metrics);
        if (top != null) {
            b.extra("cpu_other_top_name", Json.MAPPER.getNodeFactory().textNode(top));
        }
        return b.build();
    }

    @Test
    void aCpuBenchmarkIsStressNgWithItsCpuStressorOrSysbenchsCpuTest() {
        assertTrue(NoiseWarnings.isCpuBenchmark(List.of("stress-ng", "--cpu", "1", "--timeout", "3s")));
        assertTrue(NoiseWarnings.isCpuBenchmark(List.of("/usr/bin/stress-ng", "--cpu=2", "--metrics")));
        assertTrue(NoiseWarnings.isCpuBenchmark(List.of("stress-ng", "-c", "4")));
        assertFalse(NoiseWarnings.isCpuBenchmark(List.of("stress-ng", "--vm", "1", "--cpu-method", "int64")),
                "--cpu-method alone is not the cpu stressor");
        assertTrue(NoiseWarnings.isCpuBenchmark(List.of("sysbench", "--threads=2", "cpu", "run")));
        assertTrue(NoiseWarnings.isCpuBenchmark(List.of("sysbench", "--test=cpu", "run")));
        assertFalse(NoiseWarnings.isCpuBenchmark(List.of("sysbench", "memory", "run")));
        assertFalse(NoiseWarnings.isCpuBenchmark(List.of("fio", "--name=cpu")));
        assertFalse(NoiseWarnings.isCpuBenchmark(List.of("sh", "-c", "stress-ng --cpu 1")));
        assertFalse(NoiseWarnings.isCpuBenchmark(List.of()));
    }

    @Test
    void otherProcessesOverTenPercentDuringACpuBenchmarkAreOneLineWithTheWorstSampleAndItsTopProcess() {
        NoiseWarnings n = new NoiseWarnings();
        n.accept(started("web-1", "cpu", 3, "stress-ng", "--cpu", "1"));
        n.accept(sample("web-1", "cpu", 3, "sshd", "cpu_other", 12.0, "cpu_other_top", 8.0));
        n.accept(sample("web-1", "cpu", 3, "java", "cpu_other", 45.2, "cpu_other_top", 30.0));
        n.accept(sample("web-1", "cpu", 3, "sshd", "cpu_other", 3.0, "cpu_other_top", 2.0));
        n.accept(started("web-1", "cpu", 4, "stress-ng", "--cpu", "1"));
        n.accept(sample("web-1", "cpu", 4, "java", "cpu_other", 10.0, "cpu_other_top", 9.0)); // not over 10
        assertEquals(List.of("web-1 cpu rep 3: other processes used up to 45 % of a core (top: java, 30 %) during"
                + " a CPU benchmark"), n.warnings(List.of()));
    }

    @Test
    void otherProcessesDuringAWorkloadThatIsNotACpuBenchmarkAreNoWarning() {
        NoiseWarnings n = new NoiseWarnings();
        n.accept(started("web-1", "disk", 1, "fio", "--name=x"));
        n.accept(sample("web-1", "disk", 1, "java", "cpu_other", 90.0, "cpu_other_top", 90.0));
        n.accept(sample("web-1", "unknown", 1, "java", "cpu_other", 90.0)); // no started event seen
        assertEquals(List.of(), n.warnings(List.of()));
    }

    @Test
    void swapActivityAndThermalThrottlingAreWarnedForAnyWorkload() {
        NoiseWarnings n = new NoiseWarnings();
        n.accept(started("db", "disk", 2, "fio", "--name=x"));
        n.accept(sample("db", "disk", 2, null, "swap_in", 0.0, "swap_out", 2.5 * 1024 * 1024, "throttle_core", 0.0));
        n.accept(sample("db", "disk", 2, null, "swap_in", 8192.0, "swap_out", 0.0, "throttle_core", 2.0,
                "throttle_package", 1.0));
        n.accept(sample("db", "disk", 2, null, "throttle_core", 3.0, "throttle_package", 0.0));
        assertEquals(List.of("db disk rep 2: the system swapped (up to 8.0 KiB/s in, 2.5 MiB/s out)",
                "db disk rep 2: the CPU was thermally throttled (5 core, 1 package throttling events)"),
                n.warnings(List.of()));
    }

    @Test
    void aQuietRepetitionAndAWarmUpAreNoWarning() {
        NoiseWarnings n = new NoiseWarnings();
        n.accept(started("web-1", "cpu", 1, "stress-ng", "--cpu", "1"));
        n.accept(sample("web-1", "cpu", 1, "sshd", "cpu_other", 1.5, "cpu_other_top", 1.0, "swap_in", 0.0,
                "swap_out", 0.0, "throttle_core", 0.0));
        var warm = Event.builder("web-1", "cpu", 2, EventStatus.RUNNING).runId("r1").src("agent").seq(++seq)
                .type(EventType.METRIC).message("system").extra("warmup", Json.MAPPER.getNodeFactory().booleanNode(true))
                .extra("metrics", Json.MAPPER.createArrayNode().add(Json.MAPPER.createObjectNode()
                        .put("name", "swap_in").put("value", 4096).put("unit", "B/s"))).build();
        n.accept(warm);
        assertEquals(List.of(), n.warnings(List.of()));
    }

    @Test
    void aLocalTargetWithCpuUsedByOthersGetsANoteThatTheControllerAndAnsibleRunThere() {
        NoiseWarnings n = new NoiseWarnings();
        n.accept(started("local", "cpu", 1, "stress-ng", "--cpu", "1"));
        n.accept(sample("local", "cpu", 1, "java", "cpu_other", 60.0, "cpu_other_top", 40.0));
        n.accept(started("local", "cpu", 2, "stress-ng", "--cpu", "1"));
        n.accept(sample("local", "cpu", 2, "ansible-playboo", "cpu_other", 30.0, "cpu_other_top", 20.0));
        List<String> w = n.warnings(List.of("local"));
        assertEquals(3, w.size(), w.toString());
        assertTrue(w.get(1).contains("top: ansible-playboo, 20 %"), w.get(1));
        assertEquals("local: a local target, this machine: lb's controller and ansible-playbook run on it and count"
                + " among the other processes, so CPU used by others is expected there", w.get(2));
        assertEquals(2, n.warnings(List.of()).size(), "no note for a host that is not local");
    }

    @Test
    void aLongProcessNameFromTheEventIsShortened() {
        NoiseWarnings n = new NoiseWarnings();
        n.accept(started("h", "cpu", 1, "stress-ng", "--cpu", "1"));
        n.accept(sample("h", "cpu", 1, "x".repeat(500), "cpu_other", 60.0, "cpu_other_top", 40.0));
        String w = n.warnings(List.of()).get(0);
        assertTrue(w.contains("top: " + "x".repeat(32) + "\u2026,"), w);
    }
}

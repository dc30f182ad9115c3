package dev.lb.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.results.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoiseSamplerTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long AGENT = 100;
    private static final long WORKLOAD_PGID = 200;

    @TempDir
    Path dir;
    Path proc;
    Path cpu;
    final List<String> problems = new ArrayList<>();
    long workloadPgid = WORKLOAD_PGID;

    @BeforeEach
    void roots() throws IOException {
        proc = Files.createDirectories(dir.resolve("proc"));
        cpu = Files.createDirectories(dir.resolve("cpu"));
        vmstat(0, 0);
    }

    private NoiseSampler sampler() {
        return new NoiseSampler(proc, cpu, new NoiseSampler.Own(AGENT, () -> workloadPgid), 100, 4096, problems::add, problems::add);
    }

    /** A /proc/[pid]/stat line as the kernel writes it (tpgid -1, a negative priority: fields that can be signed). */
    private void process(long pid, String comm, long ppid, long pgrp, long utime, long stime, long start)
            throws IOException {
        Path p = Files.createDirectories(proc.resolve(String.valueOf(pid)));
        Files.writeString(p.resolve("stat"), pid + " (" + comm + ") S " + ppid + " " + pgrp + " " + pgrp + " 0 -1"
                + " 4194560 100 0 0 0 " + utime + " " + stime + " 0 0 -2 0 1 0 " + start
                + " 1000000 200 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n");
        Files.writeString(p.resolve("cmdline"), comm + "\0");
    }

    private void uptime(double seconds) throws IOException {
        Files.writeString(proc.resolve("uptime"), String.format(java.util.Locale.ROOT, "%.2f 1000.00\n", seconds));
    }

    private void vmstat(long in, long out) throws IOException {
        Files.writeString(proc.resolve("vmstat"), "nr_free_pages 1000\npgpgin 5\npswpin " + in + "\npswpout " + out
                + "\npgfault 99\n");
    }

    private void throttle(int cpuIndex, long core, long pkg) throws IOException {
        Path t = Files.createDirectories(cpu.resolve("cpu" + cpuIndex).resolve("thermal_throttle"));
        Files.writeString(t.resolve("core_throttle_count"), core + "\n");
        Files.writeString(t.resolve("package_throttle_count"), pkg + "\n");
    }

    private static Map<String, Double> byName(List<Metric> metrics) {
        Map<String, Double> out = new LinkedHashMap<>();
        metrics.forEach(m -> out.put(m.name(), m.value()));
        return out;
    }

    @Test
    void cpuOtherIsTheCpuOfEveryProcessButTheAgentTheWorkloadsGroupThePollAndTheirDescendantsAsAShareOfOneCore()
            throws Exception {
        uptime(1000);
        process(1, "systemd", 0, 1, 500, 500, 1);
        process(AGENT, "java", 1, 50, 1000, 100, 5000);
        process(150, "setsid", AGENT, 50, 0, 0, 6000);          // the agent's child: lb's
        process(WORKLOAD_PGID, "stress-ng", 150, WORKLOAD_PGID, 10, 0, 6001);
        process(201, "stress-ng-cpu", WORKLOAD_PGID, WORKLOAD_PGID, 10, 0, 6002);
        process(300, "lb_stream_poll", 299, 299, 10, 0, 6003); // named by the poll module itself
        process(301, "python3", 299, 299, 10, 0, 6004);        // an unpipelined poll: its command line names it
        Files.writeString(proc.resolve("301").resolve("cmdline"), "/usr/bin/python3\0/root/.ansible/tmp/x/"
                + "AnsiballZ_lb_stream_poll.py\0");
        process(400, "java", 1, 400, 2000, 0, 7000);            // someone else's JVM
        process(500, "python3", 1, 500, 0, 0, 7001);            // someone else's python
        NoiseSampler s = sampler();
        assertFalse(byName(s.sample(0)).containsKey("cpu_other"), "the first sample only primes");

        // Two seconds later: each of lb's processes used a lot, the others 90 + 30 + 20 + 10 ticks.
        uptime(1002);
        process(1, "systemd", 0, 1, 510, 500, 1);
        process(AGENT, "java", 1, 50, 1500, 200, 5000);
        process(150, "setsid", AGENT, 50, 0, 0, 6000);
        process(WORKLOAD_PGID, "stress-ng", 150, WORKLOAD_PGID, 10, 0, 6001);
        process(201, "stress-ng-cpu", WORKLOAD_PGID, WORKLOAD_PGID, 210, 0, 6002);
        process(202, "stress-ng-cpu", 999, WORKLOAD_PGID, 200, 0, 100_050); // left the tree, still in the group
        process(300, "lb_stream_poll", 299, 299, 60, 0, 6003);
        process(301, "python3", 299, 299, 60, 0, 6004);
        process(400, "java", 1, 400, 2060, 30, 7000);
        process(500, "python3", 1, 500, 20, 0, 7001);
        SampleAt at = new SampleAt(s, 2 * SECOND);
        Map<String, Double> m = byName(at.metrics);
        // 10 (systemd) + 90 (java 400) + 20 (python 500) = 120 ticks in 2 s at 100 ticks/s: 60 % of one core.
        assertEquals(60.0, m.get("cpu_other"), 1e-9);
        assertEquals(45.0, m.get("cpu_other_top"), 1e-9);
        assertEquals("java", at.labels.get(NoiseSampler.TOP_NAME_LABEL));
        assertFalse(m.containsKey("cpu_other_unreadable"));
    }

    private static final class SampleAt {
        final List<Metric> metrics;
        final Map<String, String> labels;

        SampleAt(NoiseSampler s, long nanos) {
            metrics = s.sample(nanos);
            labels = s.labels();
        }
    }

    @Test
    void aProcessNewSinceThePreviousSampleCountsWholeAnOlderOneUnseenBeforeNotAtAllAndAnEndedOneDropsOut()
            throws Exception {
        uptime(1000);
        process(10, "gone", 1, 10, 100, 0, 500);
        process(11, "steady", 1, 11, 100, 0, 600);
        NoiseSampler s = sampler();
        s.sample(0);

        uptime(1001);
        Files.walk(proc.resolve("10")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        process(11, "steady", 1, 11, 110, 0, 600);
        process(12, "newcomer", 1, 12, 30, 5, 100_050);   // started at uptime 1000.5 s: all of its 35 ticks count
        process(13, "old-unseen", 1, 13, 9000, 0, 700); // started long ago: its lifetime is not this second's
        SampleAt at = new SampleAt(s, SECOND);
        Map<String, Double> m = byName(at.metrics);
        assertEquals(45.0, m.get("cpu_other"), 1e-9);
        assertEquals("newcomer", at.labels.get(NoiseSampler.TOP_NAME_LABEL));

        uptime(1002);
        process(13, "old-unseen", 1, 13, 9050, 0, 700); // now it has a previous reading
        at = new SampleAt(s, 2 * SECOND);
        assertEquals(50.0 + 0 + 0, byName(at.metrics).get("cpu_other"), 1e-9);
        assertEquals("old-unseen", at.labels.get(NoiseSampler.TOP_NAME_LABEL));
    }

    @Test
    void aPidReusedByAnotherProcessIsANewProcessNotANegativeDelta() throws Exception {
        uptime(1000);
        process(10, "first", 1, 10, 5000, 0, 500);
        NoiseSampler s = sampler();
        s.sample(0);
        uptime(1001);
        process(10, "second", 1, 10, 20, 0, 100_080);
        SampleAt at = new SampleAt(s, SECOND);
        assertEquals(20.0, byName(at.metrics).get("cpu_other"), 1e-9);
        assertEquals("second", at.labels.get(NoiseSampler.TOP_NAME_LABEL));
    }

    @Test
    void whenNoOtherProcessUsedCpuTheShareIsZeroAndNoNameIsGiven() throws Exception {
        uptime(1000);
        process(AGENT, "java", 1, AGENT, 100, 0, 500);
        process(11, "idle", 1, 11, 7, 0, 600);
        NoiseSampler s = sampler();
        s.sample(0);
        uptime(1001);
        process(AGENT, "java", 1, AGENT, 200, 0, 500);
        SampleAt at = new SampleAt(s, SECOND);
        assertEquals(0.0, byName(at.metrics).get("cpu_other"));
        assertNull(at.labels.get(NoiseSampler.TOP_NAME_LABEL));
    }

    @Test
    void anUnreadableProcessIsSkippedAndCountedAndSaidOnceNeverACrash() throws Exception {
        uptime(1000);
        process(11, "ok", 1, 11, 0, 0, 600);
        Files.createDirectories(proc.resolve("12"));
        Files.writeString(proc.resolve("12").resolve("stat"), "12 garbage\n");
        Files.createDirectories(proc.resolve("13"));
        Files.writeString(proc.resolve("13").resolve("stat"), "13 (cut) S 1 13 13\n");
        Files.createDirectories(proc.resolve("14")); // a process whose stat vanished: ended, not unreadable
        NoiseSampler s = sampler();
        s.sample(0);
        uptime(1001);
        process(11, "ok", 1, 11, 10, 0, 600);
        Map<String, Double> m = byName(s.sample(SECOND));
        assertEquals(10.0, m.get("cpu_other"), 1e-9);
        assertEquals(2.0, m.get("cpu_other_unreadable"));
        s.sample(2 * SECOND);
        assertEquals(1, problems.stream().filter(p -> p.contains("cpu_other_unreadable")).count(), problems.toString());
    }

    @Test
    void swapActivityIsPagesSwappedTimesThePageSizePerSecond() throws Exception {
        uptime(1000);
        vmstat(100, 200);
        NoiseSampler s = sampler();
        s.sample(0);
        uptime(1002);
        vmstat(110, 250);
        Map<String, Double> m = byName(s.sample(2 * SECOND));
        assertEquals(10 * 4096 / 2.0, m.get("swap_in"), 1e-9);
        assertEquals(50 * 4096 / 2.0, m.get("swap_out"), 1e-9);
    }

    @Test
    void throttlingIsTheLargestIncreaseOfAnyCpusCountersSinceThePreviousSample() throws Exception {
        uptime(1000);
        throttle(0, 5, 40);
        throttle(1, 7, 40);
        NoiseSampler s = sampler();
        assertFalse(byName(s.sample(0)).containsKey("throttle_core"), "the first sample only primes");
        uptime(1001);
        throttle(0, 6, 43);
        throttle(1, 10, 43); // the package's counter, repeated in each of its CPUs: 3, not 6
        Map<String, Double> m = byName(s.sample(SECOND));
        assertEquals(3.0, m.get("throttle_core"));
        assertEquals(3.0, m.get("throttle_package"));
        uptime(1002);
        m = byName(s.sample(2 * SECOND));
        assertEquals(0.0, m.get("throttle_core"));
        assertEquals(List.of(), problems);
    }

    @Test
    void withoutThrottleCountersTheMetricsAreAbsentAndThatIsSaidOnce() throws Exception {
        Files.createDirectories(cpu.resolve("cpu0"));
        uptime(1000);
        NoiseSampler s = sampler();
        s.sample(0);
        uptime(1001);
        Map<String, Double> m = byName(s.sample(SECOND));
        s.sample(2 * SECOND);
        assertFalse(m.containsKey("throttle_core"));
        assertFalse(m.containsKey("throttle_package"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("thermal_throttle"), problems.get(0));
        assertTrue(m.containsKey("cpu_other") && m.containsKey("swap_in"), "the other metrics stay: " + m);
    }

    @Test
    void aMissingVmstatLeavesOutOnlyTheSwapMetricsAndIsSaidOnce() throws Exception {
        Files.delete(proc.resolve("vmstat"));
        uptime(1000);
        NoiseSampler s = sampler();
        s.sample(0);
        uptime(1001);
        Map<String, Double> m = byName(s.sample(SECOND));
        s.sample(2 * SECOND);
        assertFalse(m.containsKey("swap_in"));
        assertTrue(m.containsKey("cpu_other"));
        assertEquals(1, problems.stream().filter(p -> p.contains("vmstat")).count(), problems.toString());
    }

    @Test
    void thePageSizeIsReadFromSmapsAndAssumedOnlyWhenItCannotBe() throws Exception {
        Path smaps = dir.resolve("smaps");
        Files.writeString(smaps, "55d0-55d1 r--p 00000000 08:01 123 /usr/bin/java\nSize: 4 kB\nKernelPageSize:"
                + "       16 kB\nMMUPageSize: 16 kB\n");
        assertEquals(16384, NoiseSampler.pageSize(smaps, problems::add));
        assertEquals(List.of(), problems);
        assertEquals(4096, NoiseSampler.pageSize(dir.resolve("absent"), problems::add));
        assertEquals(1, problems.size());
    }
}

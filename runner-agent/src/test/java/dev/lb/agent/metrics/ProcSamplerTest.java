package dev.lb.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lb.results.Metric;
import dev.lb.results.Unit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcSamplerTest {
    private static final long SECOND = 1_000_000_000L;

    // Snapshot A, then B two seconds later. Between them (B - A):
    //   cpu: user 600, nice 100, system 300, idle 800, iowait 100, irq 50, softirq 0, steal 50 = 2000 ticks
    //        (guest 30 is inside user and is not added again)
    //   disks: sda +4000 read / +8000 written sectors, nvme0n1 +1000 / +2000, mmcblk0 +0 / +10;
    //          partitions, loop0, dm-0, md0 and zram0 grew too but are not counted
    //   net: eth0 +3000 rx / +1000 tx, wlan0 +1000 / +500; lo +1,000,000 / +1,000,000 is not counted
    private static final String STAT_A = """
            cpu  1000 100 500 8000 200 50 50 100 30 0
            cpu0 500 50 250 4000 100 25 25 50 15 0
            cpu1 500 50 250 4000 100 25 25 50 15 0
            intr 123456 0 0
            ctxt 987654
            """;
    private static final String STAT_B = """
            cpu  1600 200 800 8800 300 100 50 150 60 0
            cpu0 800 100 400 4400 150 50 25 75 30 0
            cpu1 800 100 400 4400 150 50 25 75 30 0
            intr 123999 0 0
            ctxt 999999
            """;
    private static final String MEMINFO = """
            MemTotal:       16384000 kB
            MemFree:         2000000 kB
            MemAvailable:   12288000 kB
            Buffers:          100000 kB
            """;
    private static final String LOADAVG = "1.52 0.80 0.41 3/612 12345\n";
    private static final String DISKSTATS_A = """
               7       0 loop0 10 0 100 0 0 0 0 0 0 0 0 0 0 0 0 0 0
               8       0 sda 100 0 10000 50 200 0 20000 80 0 100 130 0 0 0 0 0 0
               8       1 sda1 90 0 9000 40 190 0 19000 70 0 90 110 0 0 0 0 0 0
             259       0 nvme0n1 50 0 5000 10 60 0 6000 12 0 20 22 0 0 0 0 0 0
             259       1 nvme0n1p1 50 0 5000 10 60 0 6000 12 0 20 22 0 0 0 0 0 0
             179       0 mmcblk0 1 0 8 0 1 0 8 0 0 0 0 0 0 0 0 0 0
             179       1 mmcblk0p1 1 0 8 0 1 0 8 0 0 0 0 0 0 0 0 0 0
             253       0 dm-0 80 0 8000 30 150 0 15000 60 0 80 90 0 0 0 0 0 0
               9       0 md0 1 0 8 0 1 0 8 0 0 0 0 0 0
             252       0 zram0 1 0 8 0 1 0 8 0 0 0 0 0 0 0 0 0 0
            """;
    private static final String DISKSTATS_B = """
               7       0 loop0 20 0 1099 0 0 0 0 0 0 0 0 0 0 0 0 0 0
               8       0 sda 140 0 14000 60 280 0 28000 90 0 120 150 0 0 0 0 0 0
               8       1 sda1 130 0 13000 50 270 0 27000 80 0 110 130 0 0 0 0 0 0
             259       0 nvme0n1 60 0 6000 12 80 0 8000 14 0 22 26 0 0 0 0 0 0
             259       1 nvme0n1p1 60 0 6000 12 80 0 8000 14 0 22 26 0 0 0 0 0 0
             179       0 mmcblk0 1 0 8 0 2 0 18 0 0 0 0 0 0 0 0 0 0
             179       1 mmcblk0p1 1 0 8 0 2 0 18 0 0 0 0 0 0 0 0 0 0
             253       0 dm-0 120 0 13000 40 230 0 23000 70 0 100 110 0 0 0 0 0 0
               9       0 md0 9 0 5008 0 9 0 5008 0 0 0 0 0 0
             252       0 zram0 9 0 5008 0 9 0 5008 0 0 0 0 0 0 0 0 0 0
            """;
    private static final String NET_HEADER = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            """;
    private static final String NET_A = NET_HEADER + """
                lo: 5000000   100    0    0    0     0          0         0  5000000     100    0    0    0     0       0          0
              eth0: 200000    300    0    0    0     0          0         0   100000     200    0    0    0     0       0          0
             wlan0: 7000       10    0    0    0     0          0         0     3000      10    0    0    0     0       0          0
            """;
    private static final String NET_B = NET_HEADER + """
                lo: 6000000   200    0    0    0     0          0         0  6000000     200    0    0    0     0       0          0
              eth0: 203000    310    0    0    0     0          0         0   101000     210    0    0    0     0       0          0
             wlan0: 8000       20    0    0    0     0          0         0     3500      20    0    0    0     0       0          0
            """;

    @TempDir
    Path proc;
    private final List<String> problems = new ArrayList<>();

    private ProcSampler sampler() {
        return new ProcSampler(proc, problems::add);
    }

    private void write(String name, String text) throws IOException {
        Path p = proc.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private void snapshotA() throws IOException {
        write("stat", STAT_A);
        write("meminfo", MEMINFO);
        write("loadavg", LOADAVG);
        write("diskstats", DISKSTATS_A);
        write("net/dev", NET_A);
    }

    private void snapshotB() throws IOException {
        write("stat", STAT_B);
        write("diskstats", DISKSTATS_B);
        write("net/dev", NET_B);
    }

    private static Map<String, Double> values(List<Metric> metrics) {
        return metrics.stream().collect(Collectors.toMap(Metric::name, Metric::value));
    }

    private static List<String> names(List<Metric> metrics) {
        return metrics.stream().map(Metric::name).toList();
    }

    @Test
    void theFirstSampleOnlyPrimesTheCountersAndCarriesMemoryAndLoad() throws Exception {
        snapshotA();
        List<Metric> first = sampler().sample(SECOND);
        assertEquals(List.of(new Metric("mem_used", 4000.0, Unit.MIB), new Metric("load1", 1.52, Unit.COUNT)), first);
        assertEquals(List.of(), problems);
    }

    @Test
    void theSecondSampleHasEveryMetricInTheContractsNamesUnitsAndOrder() throws Exception {
        snapshotA();
        ProcSampler s = sampler();
        s.sample(SECOND);
        snapshotB();
        List<Metric> second = s.sample(3 * SECOND);
        assertEquals(List.of(
                new Metric("cpu_user", 35.0, Unit.PERCENT),       // (600 + 100 nice) / 2000
                new Metric("cpu_system", 17.5, Unit.PERCENT),     // (300 + 50 irq + 0 softirq) / 2000
                new Metric("cpu_iowait", 5.0, Unit.PERCENT),      // 100 / 2000
                new Metric("mem_used", 4000.0, Unit.MIB),         // (16384000 - 12288000) kB / 1024
                new Metric("load1", 1.52, Unit.COUNT),
                new Metric("disk_read", 1_280_000.0, Unit.B_PER_S),   // (4000 + 1000 + 0) sectors * 512 / 2 s
                new Metric("disk_write", 2_562_560.0, Unit.B_PER_S),  // (8000 + 2000 + 10) * 512 / 2 s
                new Metric("net_rx", 2000.0, Unit.B_PER_S),       // (3000 + 1000) / 2 s
                new Metric("net_tx", 750.0, Unit.B_PER_S)), second); // (1000 + 500) / 2 s
        assertEquals(List.of(), problems);
    }

    @Test
    void aMissingFileLeavesOutItsMetricsAndIsReportedOnceNotEverySample() throws Exception {
        snapshotA();
        Files.delete(proc.resolve("diskstats"));
        ProcSampler s = sampler();
        s.sample(SECOND);
        snapshotB();
        Files.delete(proc.resolve("diskstats"));
        List<Metric> second = s.sample(2 * SECOND);
        s.sample(3 * SECOND);
        assertEquals(List.of("cpu_user", "cpu_system", "cpu_iowait", "mem_used", "load1", "net_rx", "net_tx"),
                names(second));
        assertEquals(List.of("cannot read " + proc.resolve("diskstats")
                + " (no such file); disk_read and disk_write left out of the samples"), problems);
    }

    @Test
    void aFileThatDoesNotParseSaysWhereAndTheOtherMetricsStay() throws Exception {
        snapshotA();
        write("meminfo", "MemTotal:       16384000 kB\nMemFree:         2000000 kB\n");
        write("loadavg", "high\n");
        List<Metric> first = sampler().sample(SECOND);
        assertEquals(List.of(), first);
        assertEquals(List.of(
                "cannot read " + proc.resolve("meminfo") + " (no MemAvailable line); mem_used left out of the samples",
                "cannot read " + proc.resolve("loadavg") + " (expected a number at line 1 ('high')); load1 left out"
                        + " of the samples"), problems);
    }

    @Test
    void aTruncatedDiskLineIsAProblemNotAWrongNumber() throws Exception {
        snapshotA();
        write("diskstats", "   8       0 sda 100 0 10000 50\n");
        sampler().sample(SECOND);
        assertEquals(List.of("cannot read " + proc.resolve("diskstats") + " (expected a number at line 1"
                + " ('8       0 sda 100 0 10000 50')); disk_read and disk_write left out of the samples"), problems);
    }

    @Test
    void aRootThatIsNotProcCannotFillTheHeap() throws Exception {
        snapshotA();
        write("net/dev", NET_HEADER + "x".repeat(5 * 1024 * 1024));
        sampler().sample(SECOND);
        assertEquals(List.of("cannot read " + proc.resolve("net/dev") + " (larger than 4 MiB); net_rx and net_tx"
                + " left out of the samples"), problems);
    }

    @Test
    void aFileThatComesBackPrimesAgainSoNoRateSpansTheGap() throws Exception {
        snapshotA();
        ProcSampler s = sampler();
        s.sample(SECOND);
        Files.delete(proc.resolve("net/dev"));
        s.sample(2 * SECOND);
        write("net/dev", NET_A);
        assertEquals(List.of(), names(s.sample(3 * SECOND)).stream().filter(n -> n.startsWith("net")).toList());
        write("net/dev", NET_B);
        Map<String, Double> v = values(s.sample(4 * SECOND));
        assertEquals(4000.0, v.get("net_rx"), "one second, not three: the reading before the gap is not used");
        assertEquals(1, problems.size(), problems.toString());
    }

    @Test
    void aDeviceThatAppearsAddsNothingUntilItHasTwoReadingsAndOneThatWentBackAddsZero() throws Exception {
        snapshotA();
        ProcSampler s = sampler();
        s.sample(SECOND);
        // eth0 was re-created (its counters restart near zero) and a new interface eth1 appeared.
        write("net/dev", NET_HEADER + """
                    lo: 6000000   200    0    0    0     0          0         0  6000000     200    0    0    0     0       0          0
                  eth0: 500        10    0    0    0     0          0         0      400      10    0    0    0     0       0          0
                 wlan0: 8000       20    0    0    0     0          0         0     3500      20    0    0    0     0       0          0
                  eth1: 9999999    20    0    0    0     0          0         0  9999999      20    0    0    0     0       0          0
                """);
        Map<String, Double> v = values(s.sample(2 * SECOND));
        assertEquals(1000.0, v.get("net_rx"), "wlan0 only");
        assertEquals(500.0, v.get("net_tx"), "wlan0 only");
    }

    @Test
    void lessThanOneTickBetweenSamplesGivesNoCpuShareAndTheNextOneSpansBoth() throws Exception {
        snapshotA();
        ProcSampler s = sampler();
        s.sample(SECOND);
        assertEquals(List.of("mem_used", "load1", "disk_read", "disk_write", "net_rx", "net_tx"),
                names(s.sample(SECOND + 1000)));
        write("stat", STAT_B);
        assertEquals(35.0, values(s.sample(2 * SECOND)).get("cpu_user"));
    }

    @Test
    void anIowaitCounterThatStepsBackCountsAsZeroNotNegative() throws Exception {
        snapshotA();
        ProcSampler s = sampler();
        s.sample(SECOND);
        write("stat", "cpu  1600 200 800 8800 150 100 50 150 60 0\n"); // iowait 200 -> 150
        Map<String, Double> v = values(s.sample(2 * SECOND));
        assertEquals(0.0, v.get("cpu_iowait"));
        assertEquals(700.0 / 1900 * 100, v.get("cpu_user"), 1e-12);
    }

    @Test
    void anOldKernelsShortCpuLineIsRead() throws Exception {
        snapshotA();
        write("stat", "cpu  100 0 100 800\n");
        ProcSampler s = sampler();
        s.sample(SECOND);
        write("stat", "cpu  200 0 150 950\n");
        Map<String, Double> v = values(s.sample(2 * SECOND));
        assertEquals(100.0 / 300 * 100, v.get("cpu_user"), 1e-12);
        assertEquals(0.0, v.get("cpu_iowait"));
    }

    @Test
    void theRealProcGivesEveryMetricWithoutAProblem() throws Exception {
        Path real = Path.of("/proc");
        assumeTrue(Files.isReadable(real.resolve("stat")), "Linux /proc");
        ProcSampler s = new ProcSampler(real, problems::add);
        s.sample(System.nanoTime());
        Thread.sleep(50);
        List<Metric> second = s.sample(System.nanoTime());
        assertEquals(List.of("cpu_user", "cpu_system", "cpu_iowait", "mem_used", "load1", "disk_read", "disk_write",
                "net_rx", "net_tx"), names(second));
        assertEquals(List.of(), problems);
        for (Metric m : second) {
            assertTrue(m.value() >= 0, m.toString());
            if (m.unit() == Unit.PERCENT) {
                assertTrue(m.value() <= 100, m.toString());
            }
        }
    }
}

package dev.lb.agent.metrics;

import dev.lb.results.Metric;
import dev.lb.results.Unit;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * System metrics from /proc, in the names and units of the protocol's {@code metric} event:
 *
 * <ul>
 *   <li>{@code cpu_user}, {@code cpu_system}, {@code cpu_iowait} (%): shares of all CPU time since the previous
 *       sample, from the aggregate {@code cpu} line of {@code stat}. User includes nice; system includes irq and
 *       softirq (as vmstat counts them); the total is user + nice + system + idle + iowait + irq + softirq + steal
 *       (guest time is already inside user and nice).</li>
 *   <li>{@code mem_used} (MiB): MemTotal − MemAvailable from {@code meminfo}.</li>
 *   <li>{@code load1} (count): the first field of {@code loadavg}.</li>
 *   <li>{@code disk_read}, {@code disk_write} (B/s): sectors × 512 of whole disks in {@code diskstats} (see
 *       {@link WholeDisks}) over the time since the previous sample.</li>
 *   <li>{@code net_rx}, {@code net_tx} (B/s): bytes of every interface but {@code lo} in {@code net/dev}.</li>
 * </ul>
 *
 * The first sample only primes the counters: it holds {@code mem_used} and {@code load1}, no CPU shares and no
 * rates. Each file is read once per sample into a reused buffer. A file that cannot be read or parsed leaves its
 * metrics out of that sample; the problem goes to {@code problems} the first time only, so a missing file is said
 * once, not every second. Not thread-safe: one sampling thread.
 */
public final class ProcSampler implements MetricSource {
    private static final int CPU_FIELDS = 8; // user nice system idle iowait irq softirq steal

    private final Path stat;
    private final Path meminfo;
    private final Path loadavg;
    private final Path diskstats;
    private final Path netDev;
    private final Consumer<String> problems;
    private final Set<Path> reported = new HashSet<>();
    private final ProcText text = new ProcText();
    private final long[] cpu = new long[CPU_FIELDS];
    private final long[] prevCpu = new long[CPU_FIELDS];
    private boolean cpuPrimed;
    private final CounterTable disks = new CounterTable(new WholeDisks());
    private final CounterTable interfaces = new CounterTable((name, all) -> !name.equals("lo"));

    /** {@code procRoot} is {@code /proc} on a target, a directory of fixture files in tests. */
    public ProcSampler(Path procRoot, Consumer<String> problems) {
        this.stat = procRoot.resolve("stat");
        this.meminfo = procRoot.resolve("meminfo");
        this.loadavg = procRoot.resolve("loadavg");
        this.diskstats = procRoot.resolve("diskstats");
        this.netDev = procRoot.resolve("net").resolve("dev");
        this.problems = problems;
    }

    @Override
    public List<Metric> sample(long monotonicNanos) {
        List<Metric> out = new ArrayList<>(9);
        try {
            readCpu(out);
        } catch (IOException | ProcFormatException e) {
            cpuPrimed = false;
            problem(stat, e, "cpu_user, cpu_system and cpu_iowait");
        }
        try {
            readMemory(out);
        } catch (IOException | ProcFormatException e) {
            problem(meminfo, e, "mem_used");
        }
        try {
            text.load(loadavg);
            out.add(new Metric("load1", text.nextDecimal(), Unit.COUNT));
        } catch (IOException | ProcFormatException e) {
            problem(loadavg, e, "load1");
        }
        try {
            readDisks(out, monotonicNanos);
        } catch (IOException | ProcFormatException e) {
            disks.reset();
            problem(diskstats, e, "disk_read and disk_write");
        }
        try {
            readNetwork(out, monotonicNanos);
        } catch (IOException | ProcFormatException e) {
            interfaces.reset();
            problem(netDev, e, "net_rx and net_tx");
        }
        return out;
    }

    private void readCpu(List<Metric> out) throws IOException, ProcFormatException {
        text.load(stat);
        if (!text.skipIf("cpu ")) {
            throw new ProcFormatException("the first line is not the aggregate 'cpu' line: " + text.where());
        }
        int fields = 0;
        while (fields < CPU_FIELDS && text.hasNumber()) {
            cpu[fields++] = text.nextLong();
        }
        if (fields < 4) {
            throw new ProcFormatException("the 'cpu' line has " + fields + " numbers, expected at least 4");
        }
        for (int i = fields; i < CPU_FIELDS; i++) {
            cpu[i] = 0; // older kernels have no iowait/irq/softirq/steal columns
        }
        // Each field's growth, never below zero: the kernel's iowait counter is known to step back a little.
        long user = grown(0) + grown(1);
        long system = grown(2) + grown(5) + grown(6);
        long iowait = grown(4);
        long total = 0;
        for (int i = 0; i < CPU_FIELDS; i++) {
            total += grown(i);
        }
        if (cpuPrimed && total == 0) {
            return; // less than one tick since the last sample: keep the old base so the next share spans both
        }
        if (cpuPrimed) {
            out.add(new Metric("cpu_user", 100.0 * user / total, Unit.PERCENT));
            out.add(new Metric("cpu_system", 100.0 * system / total, Unit.PERCENT));
            out.add(new Metric("cpu_iowait", 100.0 * iowait / total, Unit.PERCENT));
        }
        System.arraycopy(cpu, 0, prevCpu, 0, CPU_FIELDS);
        cpuPrimed = true;
    }

    private long grown(int field) {
        return Math.max(0, cpu[field] - prevCpu[field]);
    }

    private void readMemory(List<Metric> out) throws IOException, ProcFormatException {
        text.load(meminfo);
        long totalKb = -1;
        long availableKb = -1;
        while (!text.atEnd() && (totalKb < 0 || availableKb < 0)) {
            if (text.skipIf("MemTotal:")) {
                totalKb = text.nextLong();
            } else if (text.skipIf("MemAvailable:")) {
                availableKb = text.nextLong();
            }
            text.nextLine();
        }
        if (totalKb < 0 || availableKb < 0) {
            throw new ProcFormatException("no " + (totalKb < 0 ? "MemTotal" : "MemAvailable") + " line");
        }
        out.add(new Metric("mem_used", (totalKb - availableKb) / 1024.0, Unit.MIB));
    }

    /** Fields after the name: reads, reads merged, sectors read, ms reading, writes, writes merged, sectors written. */
    private void readDisks(List<Metric> out, long nanos) throws IOException, ProcFormatException {
        text.load(diskstats);
        disks.begin();
        while (!text.atEnd()) {
            if (text.hasNumber()) {
                text.skipNumbers(2); // major, minor
                text.word(' ');
                text.skipNumbers(2);
                long sectorsRead = text.nextLong();
                text.skipNumbers(3);
                long sectorsWritten = text.nextLong();
                disks.add(text, sectorsRead, sectorsWritten);
            }
            text.nextLine();
        }
        if (disks.finish(nanos)) {
            double seconds = disks.deltaNanos() / 1e9;
            out.add(new Metric("disk_read", disks.deltaA() * 512 / seconds, Unit.B_PER_S));
            out.add(new Metric("disk_write", disks.deltaB() * 512 / seconds, Unit.B_PER_S));
        }
    }

    /** Two header lines, then {@code name: rx_bytes rx_packets ... (8 receive fields) tx_bytes ...}. */
    private void readNetwork(List<Metric> out, long nanos) throws IOException, ProcFormatException {
        text.load(netDev);
        text.nextLine();
        text.nextLine();
        interfaces.begin();
        while (!text.atEnd()) {
            if (!text.atLineEnd()) {
                text.word(':');
                long rx = text.nextLong();
                text.skipNumbers(7);
                long tx = text.nextLong();
                interfaces.add(text, rx, tx);
            }
            text.nextLine();
        }
        if (interfaces.finish(nanos)) {
            double seconds = interfaces.deltaNanos() / 1e9;
            out.add(new Metric("net_rx", interfaces.deltaA() / seconds, Unit.B_PER_S));
            out.add(new Metric("net_tx", interfaces.deltaB() / seconds, Unit.B_PER_S));
        }
    }

    private void problem(Path file, Exception e, String metrics) {
        if (reported.add(file)) {
            String why = e instanceof ProcFormatException ? e.getMessage()
                    : e instanceof NoSuchFileException ? "no such file"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            problems.accept("cannot read " + file + " (" + why + "); " + metrics + " left out of the samples");
        }
    }
}

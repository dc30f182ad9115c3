package dev.lb.agent.metrics;

import dev.lb.results.Metric;
import dev.lb.results.Unit;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What else on the machine can disturb a benchmark, in the names and units of the protocol's {@code metric} event:
 *
 * <ul>
 *   <li>{@code cpu_other} (%): CPU time (user + system, {@code /proc/[pid]/stat}) used since the previous sample by
 *       every process that is neither the benchmark's nor lb's own, as a share of one core (two busy cores: 200).
 *       {@code cpu_other_top} (%) is the share of the busiest of them, whose name ({@code comm}) is the label
 *       {@code cpu_other_top_name} (absent when no other process used any CPU).</li>
 *   <li>{@code cpu_other_unreadable} (count): processes whose stat could not be read in this sample; present only
 *       when there were any (the first reason is said once).</li>
 *   <li>{@code swap_in}, {@code swap_out} (B/s): pages swapped in and out ({@code pswpin}, {@code pswpout} of
 *       {@code /proc/vmstat}) × the page size.</li>
 *   <li>{@code throttle_core}, {@code throttle_package} (count): the largest increase of any CPU's
 *       {@code thermal_throttle/core_throttle_count} and {@code package_throttle_count} under {@code /sys} since the
 *       previous sample (a package's counter is repeated in each of its CPUs, so the largest, not the sum). Absent
 *       when no CPU has the counters (VMs, most ARM machines), which is said once.</li>
 * </ul>
 *
 * <p>lb's own processes are the agent ({@link Own#agentPid()}, all its threads being one /proc entry), the
 * workload's process group ({@link Own#workloadPgid()}), the poll step (a process named {@code lb_stream_poll}: the
 * poll module names itself so, since under Ansible's pipelining its command line is only {@code python3}; or a
 * python whose command line names {@code lb_stream_poll}), and every descendant of these (the workload's and the
 * hooks' processes, whatever their group).
 *
 * <p>A process seen for the first time counts with all its CPU time when it started after the previous sample (from
 * its start time and {@code /proc/uptime}), and with none when it is older (it was there but could not be read
 * before). A process that ended between two samples takes its last interval's CPU time with it: the kernel adds it
 * to its parent's children's time, which is not read. Like {@link ProcSampler}, the first sample only primes, a
 * file that cannot be read leaves its metrics out and is said once, and it is not thread-safe.
 */
public final class NoiseSampler implements MetricSource {
    /** Which processes are lb's: the agent's pid, and the workload's process group (≤ 0 while there is none). */
    public record Own(long agentPid, LongSupplier workloadPgid) {
    }

    /** USER_HZ: the unit of /proc's CPU times, 100 on x86, ARM, arm64, RISC-V, POWER and s390. */
    public static final long USER_HZ = 100;
    public static final String TOP_NAME_LABEL = "cpu_other_top_name";
    private static final String POLL_NAME = "lb_stream_poll";
    private static final int MAX_DEPTH = 64;

    private static final class Proc {
        long start;
        long ticks;
        long delta;
        long ppid;
        long pgrp;
        String comm;
        boolean poll;
        long seen;
        long ownGen;
        boolean own;
    }

    private final Path procRoot;
    private final Path cpuRoot;
    private final Own own;
    private final long ticksPerSecond;
    private final long pageSize;
    private final Consumer<String> problems;
    private final Consumer<String> absences;
    private final Set<String> reported = new HashSet<>();
    private final ProcText text = new ProcText();
    private final Map<Long, Proc> procs = new HashMap<>();
    private long gen;
    private long prevNanos;
    private long prevUptimeTicks = -1;
    private boolean procsPrimed;
    private String topName;
    private long prevSwapIn = -1;
    private long prevSwapOut = -1;
    private long prevSwapNanos;
    private List<Path[]> throttleFiles;
    private long[][] prevThrottle;

    /**
     * @param procRoot       {@code /proc} on a target, fixture files in tests
     * @param cpuRoot        {@code /sys/devices/system/cpu}
     * @param ticksPerSecond the kernel's USER_HZ, the unit of /proc's CPU times (100 on Linux's common architectures)
     * @param pageSize       bytes per page, the unit of /proc/vmstat's swap counters
     * @param absences       told once that the machine has no throttling counters (not a fault: most VMs have none)
     */
    public NoiseSampler(Path procRoot, Path cpuRoot, Own own, long ticksPerSecond, long pageSize,
                        Consumer<String> problems, Consumer<String> absences) {
        this.absences = absences;
        this.procRoot = procRoot;
        this.cpuRoot = cpuRoot;
        this.own = own;
        this.ticksPerSecond = ticksPerSecond;
        this.pageSize = pageSize;
        this.problems = problems;
    }

    /**
     * The page size, from the first {@code KernelPageSize:} line of {@code smaps} (/proc/self/smaps); 4096 when it
     * cannot be read, which is said.
     */
    public static long pageSize(Path smaps, Consumer<String> problems) {
        try (var lines = Files.newBufferedReader(smaps, java.nio.charset.StandardCharsets.US_ASCII)) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("KernelPageSize:")) {
                    String[] w = line.substring("KernelPageSize:".length()).trim().split("\\s+");
                    if (w.length == 2 && w[1].equals("kB")) {
                        return Long.parseLong(w[0]) * 1024;
                    }
                }
            }
            problems.accept("no KernelPageSize line in " + smaps + "; swap_in and swap_out assume 4096-byte pages");
        } catch (IOException | NumberFormatException e) {
            problems.accept("cannot read the page size from " + smaps + " (" + e + "); swap_in and swap_out assume"
                    + " 4096-byte pages");
        }
        return 4096;
    }

    @Override
    public List<Metric> sample(long monotonicNanos) {
        List<Metric> out = new ArrayList<>(7);
        try {
            readProcesses(out, monotonicNanos);
        } catch (IOException | ProcFormatException e) {
            procsPrimed = false;
            topName = null;
            problem("cpu_other", procRoot, e, "cpu_other");
        }
        try {
            readSwap(out, monotonicNanos);
        } catch (IOException | ProcFormatException e) {
            prevSwapIn = -1;
            problem("swap", procRoot.resolve("vmstat"), e, "swap_in and swap_out");
        }
        readThrottle(out);
        return out;
    }

    @Override
    public Map<String, String> labels() {
        return topName == null ? Map.of() : Map.of(TOP_NAME_LABEL, topName);
    }

    private void readProcesses(List<Metric> out, long nanos) throws IOException, ProcFormatException {
        text.load(procRoot.resolve("uptime"));
        long uptimeTicks = (long) (text.nextDecimal() * ticksPerSecond);
        gen++;
        long agentPgid = -1;
        long workloadPgid = own.workloadPgid().getAsLong();
        int unreadable = 0;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(procRoot)) {
            for (Path entry : dir) {
                long pid = pidOf(entry.getFileName().toString());
                if (pid <= 0) {
                    continue;
                }
                try {
                    readProcess(entry, pid, uptimeTicks);
                } catch (NoSuchFileException e) {
                    // ended between the listing and the read: the same as not listed
                } catch (IOException | ProcFormatException e) {
                    unreadable++;
                    problem("stat", entry.resolve("stat"), e, "that process (and any other unreadable one) left"
                            + " out of cpu_other, counted in cpu_other_unreadable");
                }
            }
        }
        for (Iterator<Proc> it = procs.values().iterator(); it.hasNext(); ) {
            if (it.next().seen != gen) {
                it.remove();
            }
        }
        long sum = 0;
        long topTicks = 0;
        String top = null;
        for (Map.Entry<Long, Proc> e : procs.entrySet()) {
            Proc p = e.getValue();
            if (isOwn(e.getKey(), p, workloadPgid, 0)) {
                continue;
            }
            sum += p.delta;
            if (p.delta > topTicks) {
                topTicks = p.delta;
                top = p.comm;
            }
        }
        boolean emit = procsPrimed && nanos > prevNanos;
        if (emit) {
            double perTickPercent = 100.0 / ticksPerSecond / ((nanos - prevNanos) / 1e9);
            out.add(new Metric("cpu_other", sum * perTickPercent, Unit.PERCENT));
            out.add(new Metric("cpu_other_top", topTicks * perTickPercent, Unit.PERCENT));
            if (unreadable > 0) {
                out.add(new Metric("cpu_other_unreadable", unreadable, Unit.COUNT));
            }
        }
        topName = emit ? top : null;
        prevNanos = nanos;
        prevUptimeTicks = uptimeTicks;
        procsPrimed = true;
    }

    private static long pidOf(String name) {
        if (name.isEmpty() || name.length() > 10) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * {@code pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime cutime
     * cstime priority nice num_threads itrealvalue starttime ...}; some of the skipped fields can be negative.
     */
    private void readProcess(Path dir, long pid, long uptimeTicks) throws IOException, ProcFormatException {
        text.load(dir.resolve("stat"));
        String comm = text.between('(', ')');
        text.skipWords(1);
        long ppid = text.nextLong();
        long pgrp = text.nextLong();
        text.skipWords(8);
        long ticks = text.nextLong() + text.nextLong();
        text.skipWords(6);
        long start = text.nextLong();
        Proc p = procs.get(pid);
        if (p == null || p.start != start) {
            p = new Proc();
            p.start = start;
            // New since the previous sample: all its time is this interval's. Older but unseen: unknown, so none.
            p.delta = procsPrimed && start >= prevUptimeTicks - 1 ? ticks : 0;
            p.poll = comm.startsWith("python") && commandLineNamesPoll(dir);
            procs.put(pid, p);
        } else {
            p.delta = Math.max(0, ticks - p.ticks);
        }
        p.ticks = ticks;
        p.ppid = ppid;
        p.pgrp = pgrp;
        p.comm = comm;
        p.seen = gen;
    }

    private boolean commandLineNamesPoll(Path dir) {
        try {
            text.load(dir.resolve("cmdline"));
            return text.contains(POLL_NAME);
        } catch (IOException | ProcFormatException e) {
            return false; // a python whose command line cannot be read is not known to be lb's
        }
    }

    private boolean isOwn(long pid, Proc p, long workloadPgid, int depth) {
        if (p.ownGen == gen) {
            return p.own;
        }
        boolean own = pid == this.own.agentPid() || (workloadPgid > 0 && p.pgrp == workloadPgid) || p.poll
                || POLL_NAME.equals(p.comm);
        if (!own && depth < MAX_DEPTH && p.ppid > 0 && p.ppid != pid) {
            Proc parent = procs.get(p.ppid);
            own = parent != null && isOwn(p.ppid, parent, workloadPgid, depth + 1);
        }
        p.ownGen = gen;
        p.own = own;
        return own;
    }

    private void readSwap(List<Metric> out, long nanos) throws IOException, ProcFormatException {
        text.load(procRoot.resolve("vmstat"));
        long in = -1;
        long outPages = -1;
        while (!text.atEnd() && (in < 0 || outPages < 0)) {
            if (text.skipIf("pswpin ")) {
                in = text.nextLong();
            } else if (text.skipIf("pswpout ")) {
                outPages = text.nextLong();
            }
            text.nextLine();
        }
        if (in < 0 || outPages < 0) {
            throw new ProcFormatException("no " + (in < 0 ? "pswpin" : "pswpout") + " line");
        }
        if (prevSwapIn >= 0 && nanos > prevSwapNanos) {
            double seconds = (nanos - prevSwapNanos) / 1e9;
            out.add(new Metric("swap_in", Math.max(0, in - prevSwapIn) * pageSize / seconds, Unit.B_PER_S));
            out.add(new Metric("swap_out", Math.max(0, outPages - prevSwapOut) * pageSize / seconds, Unit.B_PER_S));
        }
        prevSwapIn = in;
        prevSwapOut = outPages;
        prevSwapNanos = nanos;
    }

    /** The counter files are found once: CPUs that come online later are not watched. */
    private void readThrottle(List<Metric> out) {
        if (throttleFiles == null) {
            throttleFiles = findThrottleFiles();
            prevThrottle = new long[throttleFiles.size()][2];
            for (long[] p : prevThrottle) {
                p[0] = -1;
                p[1] = -1;
            }
            if (throttleFiles.isEmpty()) {
                absences.accept("no CPU under " + cpuRoot + " has thermal_throttle counters (a VM, a container"
                        + " without /sys, or a CPU that does not report them); throttle_core and throttle_package"
                        + " left out of the samples");
            }
        }
        if (throttleFiles.isEmpty()) {
            return;
        }
        long[] most = {-1, -1};
        for (int i = 0; i < throttleFiles.size(); i++) {
            for (int k = 0; k < 2; k++) {
                Path f = throttleFiles.get(i)[k];
                if (f == null) {
                    continue;
                }
                try {
                    text.load(f);
                    long v = text.nextLong();
                    if (prevThrottle[i][k] >= 0) {
                        most[k] = Math.max(most[k], Math.max(0, v - prevThrottle[i][k]));
                    }
                    prevThrottle[i][k] = v;
                } catch (IOException | ProcFormatException e) {
                    prevThrottle[i][k] = -1;
                    problem("throttle", f, e, "that counter left out of throttle_core and throttle_package");
                }
            }
        }
        if (most[0] >= 0) {
            out.add(new Metric("throttle_core", most[0], Unit.COUNT));
        }
        if (most[1] >= 0) {
            out.add(new Metric("throttle_package", most[1], Unit.COUNT));
        }
    }

    private List<Path[]> findThrottleFiles() {
        List<Path[]> found = new ArrayList<>();
        List<Path> cpus = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(cpuRoot, "cpu[0-9]*")) {
            dir.forEach(cpus::add);
        } catch (IOException e) {
            return found;
        }
        cpus.sort(null);
        for (Path cpu : cpus) {
            Path core = cpu.resolve("thermal_throttle").resolve("core_throttle_count");
            Path pkg = cpu.resolve("thermal_throttle").resolve("package_throttle_count");
            boolean hasCore = Files.isRegularFile(core);
            boolean hasPkg = Files.isRegularFile(pkg);
            if (hasCore || hasPkg) {
                found.add(new Path[] {hasCore ? core : null, hasPkg ? pkg : null});
            }
        }
        return found;
    }

    /** Said once per kind of problem: a process list is read every second, and every process can fail alike. */
    private void problem(String kind, Path file, Exception e, String consequence) {
        if (reported.add(kind)) {
            String why = e instanceof ProcFormatException ? e.getMessage()
                    : e instanceof NoSuchFileException ? "no such file"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            problems.accept("cannot read " + file + " (" + why + "); " + consequence);
        }
    }
}

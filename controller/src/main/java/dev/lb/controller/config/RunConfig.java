package dev.lb.controller.config;

import dev.lb.protocol.WorkloadPlan;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A validated run configuration. Built only by {@link ConfigLoader} (or {@link #quickstart}), so every instance is
 * usable as it is. {@code limit}: the hosts {@code lb run --limit} selected, or null for every host of the targets.
 */
public record RunConfig(
        String name,
        String runId,
        Path outputDir,
        int repetitions,
        double cooldownS,
        double pollIntervalS,
        double repetitionTimeoutS,
        double runTimeoutS,
        double stopGraceS,
        Targets targets,
        List<WorkloadPlan> workloads,
        Containers containers,
        double waitForTargetsS,
        int warmup,
        dev.lb.results.StabilityRule untilStable,
        double pollBatchS,
        HostLimit limit,
        boolean sync,
        int slices) {

    /** {@code slices: auto}: the number of ansible-playbook processes is chosen from the hosts and the cores. */
    public static final int AUTO_SLICES = 0;

    /** How long a poll step gathers lines after the first new one (see docs/transport.md, where it was measured). */
    public static final double DEFAULT_POLL_BATCH_S = 0.25;

    /**
     * What each target runs per workload: the warm-up repetitions first, then the measured ones ({@code repetitions};
     * with adaptive repetitions, {@code untilStable} not null, their maximum).
     */
    public int totalRepetitions() {
        return warmup + repetitions;
    }

    /** Container exit watching on the targets (lb-agent container-events); null when not asked for. */
    public record Containers(List<String> namespaces, String idPattern, List<String> track, List<String> ctr,
                             String artifactsDir) {
    }

    /**
     * Either an existing inventory file or inline hosts. {@code keepTargetDirs}: leave each target's run directory
     * in place after a successful collect (it is removed by default). {@code installTools}: install the Debian package
     * of each of stress-ng, fio, sysbench that a workload uses and a target lacks, at setup.
     */
    public record Targets(Path inventory, List<Host> hosts, boolean testTargets, boolean installJava,
                          String targetRoot, boolean keepTargetDirs, boolean installTools) {
    }

    /** One inline host. {@code connection} is ssh or local. */
    public record Host(String name, String address, Integer port, String user, Path sshKey, String connection,
                       String python) {
    }

    public RunConfig withRunId(String id) {
        Copy c = new Copy(this);
        c.runId = id;
        return c.build();
    }

    /** Only these workloads (lb run --workload). */
    public RunConfig withWorkloads(List<WorkloadPlan> only) {
        Copy c = new Copy(this);
        c.workloads = only;
        return c.build();
    }

    /** Another number of repetitions (lb run --repetitions): a fixed count, adaptive repetitions off. */
    public RunConfig withRepetitions(int n) {
        Copy c = new Copy(this);
        c.repetitions = n;
        c.untilStable = null;
        return c.build();
    }

    /** Only the hosts of {@code only} (lb run --limit, resolved by Ansible before the run). */
    public RunConfig withLimit(HostLimit only) {
        Copy c = new Copy(this);
        c.limit = only;
        return c.build();
    }

    /** The run's hosts split over this many ansible-playbook processes ({@link #AUTO_SLICES}: chosen). */
    public RunConfig withSlices(int k) {
        Copy c = new Copy(this);
        c.slices = k;
        return c.build();
    }

    /** Runs go under {@code dir} (lb run --output-dir, or LB_RUNS_DIR), whatever the config says. */
    public RunConfig withOutputDir(Path dir) {
        Copy c = new Copy(this);
        c.outputDir = dir;
        return c.build();
    }

    /** How long a target busy with another run is waited for before the run gives up on it (0: not at all). */
    public RunConfig withWaitForTargets(double seconds) {
        Copy c = new Copy(this);
        c.waitForTargetsS = seconds;
        return c.build();
    }

    /** A copy with every field, so that each wither names only the fields it changes. */
    private static final class Copy {
        private String name;
        private String runId;
        private Path outputDir;
        private int repetitions;
        private double cooldownS;
        private double pollIntervalS;
        private double repetitionTimeoutS;
        private double runTimeoutS;
        private double stopGraceS;
        private Targets targets;
        private List<WorkloadPlan> workloads;
        private Containers containers;
        private double waitForTargetsS;
        private int warmup;
        private dev.lb.results.StabilityRule untilStable;
        private double pollBatchS;
        private HostLimit limit;
        private boolean sync;
        private int slices;

        Copy(RunConfig r) {
            name = r.name;
            runId = r.runId;
            outputDir = r.outputDir;
            repetitions = r.repetitions;
            cooldownS = r.cooldownS;
            pollIntervalS = r.pollIntervalS;
            repetitionTimeoutS = r.repetitionTimeoutS;
            runTimeoutS = r.runTimeoutS;
            stopGraceS = r.stopGraceS;
            targets = r.targets;
            workloads = r.workloads;
            containers = r.containers;
            waitForTargetsS = r.waitForTargetsS;
            warmup = r.warmup;
            untilStable = r.untilStable;
            pollBatchS = r.pollBatchS;
            limit = r.limit;
            sync = r.sync;
            slices = r.slices;
        }

        RunConfig build() {
            return new RunConfig(name, runId, outputDir, repetitions, cooldownS, pollIntervalS, repetitionTimeoutS,
                    runTimeoutS, stopGraceS, targets, workloads, containers, waitForTargetsS, warmup, untilStable,
                    pollBatchS, limit, sync, slices);
        }
    }

    /**
     * The built-in default: this machine through a local connection, one short CPU-bound command that exists
     * everywhere (a POSIX shell counting in a loop), timed by lb over three repetitions: a first run that ends with a
     * number (its wall_time, mean ± stdev) in about 15 s.
     */
    public static RunConfig quickstart(Path outputDir) {
        WorkloadPlan loop = new WorkloadPlan("shell-loop", WorkloadPlan.COMMAND, List.of("sh", "-c",
                "echo \"counting to 500000 in a shell loop on $(hostname)\"; i=0;"
                        + " while [ $i -lt 500000 ]; do i=$((i+1)); done; echo \"counted to $i\""),
                Map.of(), null, 60.0, null, null, null, null, null, null, null, null);
        Host local = new Host("localhost", null, null, null, null, "local", null);
        return new RunConfig("quickstart (built-in)", null, outputDir, 3, 0, 1.0, 600, 3600, 15,
                new Targets(null, List.of(local), false, false, "~/.cache/lb/runs", false, false), List.of(loop), null, 0, 0, null,
                DEFAULT_POLL_BATCH_S, null, false, 1);
    }
}

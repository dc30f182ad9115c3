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
        Repetitions repetitions,
        Timeouts timeouts,
        Polling polling,
        Targets targets,
        List<WorkloadPlan> workloads,
        Containers containers,
        HostLimit limit,
        int slices,
        Export export,
        History history) {

    /**
     * The results history: its store ({@code history.url}; null: the command line, LB_HISTORY_URL or history.db where
     * the runs are), the run's labels ({@code labels:}, which {@code --label} adds to or overrides), and the
     * {@code regression:} block's minimum change for the gate, by default and per metric (null: the gate's default).
     */
    public record History(String url, Map<String, String> labels, dev.lb.history.gate.MinimumChange minChange) {
        public static final History NONE = new History(null, Map.of(), null);

        public History {
            labels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
        }
    }

    /** {@code slices: auto}: the number of ansible-playbook processes is chosen from the hosts and the cores. */
    public static final int AUTO_SLICES = 0;

    /**
     * How many repetitions each target runs of each workload, and how: {@code measured} (with adaptive repetitions,
     * {@code untilStable} not null, their maximum) after {@code warmup} ones that never count, {@code cooldownS}
     * between them, and with {@code sync} every target starting repetition r together.
     */
    public record Repetitions(int measured, int warmup, double cooldownS, dev.lb.results.StabilityRule untilStable,
                              boolean sync) {
        /** What each target runs per workload: the warm-up repetitions first, then the measured ones. */
        public int total() {
            return warmup + measured;
        }
    }

    /**
     * Every time limit of a run, in seconds: a repetition's deadline from its start, the whole run's, the grace the
     * agents get to report after a stop, how long a target busy with another run is waited for (0: not at all), how
     * long a poll whose SSH connection fails is sent again before its host is unreachable, and the watchdog's two
     * bounds on a polling host that gives no answer (said on screen after the first, the run ended past the second).
     */
    public record Timeouts(double repetitionS, double runS, double stopGraceS, double waitForTargetsS,
                           double unreachableRetryS, double noAnswerWarnS, double noAnswerEndS) {
        public static final double DEFAULT_REPETITION_S = 3600;
        public static final double DEFAULT_RUN_S = 24 * 3600;
        public static final double DEFAULT_STOP_GRACE_S = 15;
        /** Longer than the 20 s pause and the ControlPersist master's end (ssh's keep-alives give up after 15 s). */
        public static final double DEFAULT_UNREACHABLE_RETRY_S = 60;
        public static final double DEFAULT_NO_ANSWER_WARN_S = 30;
        public static final double DEFAULT_NO_ANSWER_END_S = 120;

        /**
         * The longest a healthy host goes without a poll result: a retried connection, then a poll step's batch and
         * two poll intervals. The watchdog's second bound must be above it, or it would end a run that is only
         * riding out an SSH blip.
         */
        public static double longestHealthySilenceS(double unreachableRetryS, Polling polling) {
            return unreachableRetryS + polling.batchS() + 2 * polling.intervalS();
        }

        /** The defaults, for runs built without a config file. */
        public static Timeouts defaults(double repetitionS) {
            return new Timeouts(repetitionS, DEFAULT_RUN_S, DEFAULT_STOP_GRACE_S, 0, DEFAULT_UNREACHABLE_RETRY_S,
                    DEFAULT_NO_ANSWER_WARN_S, DEFAULT_NO_ANSWER_END_S);
        }

        public Timeouts withWaitForTargetsS(double seconds) {
            return new Timeouts(repetitionS, runS, stopGraceS, seconds, unreachableRetryS, noAnswerWarnS, noAnswerEndS);
        }
    }

    /**
     * How the targets' stream files are read: the longest wait inside one poll step, and how long a step gathers
     * lines after the first new one.
     */
    public record Polling(double intervalS, double batchS) {
        public static final double DEFAULT_INTERVAL_S = 1.0;
        /** See docs/transport.md, where it was measured. */
        public static final double DEFAULT_BATCH_S = 0.25;
    }

    /**
     * Where the run's events, samples and results are sent besides the run directory ({@code export:}, {@code lb run
     * --export KIND=URL}): the endpoints, and the limits every exporter keeps (queue size, batch size, how long a
     * batch is retried, how long the end of the run waits for the queues to drain).
     */
    public record Export(List<Endpoint> endpoints, int queueItems, int batchItems, double retryS, double flushS,
                         boolean lokiSamples, String metricsListen) {
        public static final int DEFAULT_QUEUE_ITEMS = 100_000;
        public static final int DEFAULT_BATCH_ITEMS = 2_000;
        public static final double DEFAULT_RETRY_S = 30;
        public static final double DEFAULT_FLUSH_S = 10;
        public static final Export NONE = new Export(List.of(), DEFAULT_QUEUE_ITEMS, DEFAULT_BATCH_ITEMS,
                DEFAULT_RETRY_S, DEFAULT_FLUSH_S, true, null);
        /** The kinds, as spelt in the config and on the command line. */
        public static final List<String> KINDS = List.of("remote-write", "pushgateway", "loki");

        /** The same limits with these endpoints added (lb run --export). */
        public Export plus(List<Endpoint> more) {
            List<Endpoint> all = new java.util.ArrayList<>(endpoints);
            all.addAll(more);
            return new Export(List.copyOf(all), queueItems, batchItems, retryS, flushS, lokiSamples, metricsListen);
        }

        /** /metrics served on this address (lb run --metrics-listen), whatever the config says. */
        public Export listening(String hostPort) {
            return new Export(endpoints, queueItems, batchItems, retryS, flushS, lokiSamples, listen(hostPort));
        }

        /** Nothing to do: no endpoint and no /metrics. */
        public boolean isEmpty() {
            return endpoints.isEmpty() && metricsListen == null;
        }

        /**
         * {@code HOST:PORT} for /metrics: a host name or IPv4 address, a port from 1 to 65535.
         *
         * @throws IllegalArgumentException with one line saying what is wrong
         */
        public static String listen(String hostPort) {
            if (!hostPort.matches("[A-Za-z0-9.-]+:\\d{1,5}") || Integer.parseInt(hostPort.substring(
                    hostPort.lastIndexOf(':') + 1)) > 65535 || hostPort.endsWith(":0")) {
                throw new IllegalArgumentException("'" + hostPort + "' is not HOST:PORT (for example 127.0.0.1:9464)");
            }
            return hostPort;
        }

        /**
         * {@code KIND=URL} as given to {@code --export}: KIND one of {@link #KINDS}, URL an absolute http(s) URL.
         *
         * @throws IllegalArgumentException with one line saying what is wrong
         */
        public static Endpoint parse(String spec) {
            int eq = spec.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("'" + spec + "' is not KIND=URL (KIND one of "
                        + String.join(", ", KINDS) + ")");
            }
            return endpoint(spec.substring(0, eq).trim(), spec.substring(eq + 1).trim());
        }

        /** @throws IllegalArgumentException with one line saying what is wrong */
        public static Endpoint endpoint(String kind, String url) {
            if (!KINDS.contains(kind)) {
                throw new IllegalArgumentException("unknown export kind '" + kind + "'; expected one of "
                        + String.join(", ", KINDS));
            }
            java.net.URI uri;
            try {
                uri = new java.net.URI(url);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("'" + url + "' is not a URL: " + e.getReason());
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("'" + url + "' is not an http:// or https:// URL with a host");
            }
            return new Endpoint(kind, uri);
        }
    }

    /** One place to send to: its kind (one of {@link Export#KINDS}) and URL. */
    public record Endpoint(String kind, java.net.URI url) {
        @Override
        public String toString() {
            return kind + "=" + url;
        }
    }

    /** /metrics on {@code hostPort} (lb run --metrics-listen). */
    public RunConfig withMetricsListen(String hostPort) {
        Copy c = new Copy(this);
        c.export = export.listening(hostPort);
        return c.build();
    }

    /** Only when asked for ({@code lb run --export}): these endpoints as well as the config's. */
    public RunConfig withMoreExports(List<Endpoint> more) {
        Copy c = new Copy(this);
        c.export = export.plus(more);
        return c.build();
    }

    /** What each target runs per workload: the warm-up repetitions first, then the measured ones. */
    public int totalRepetitions() {
        return repetitions.total();
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
        c.repetitions = new Repetitions(n, repetitions.warmup(), repetitions.cooldownS(), null, repetitions.sync());
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
        c.timeouts = timeouts.withWaitForTargetsS(seconds);
        return c.build();
    }

    /** A copy with every field, so that each wither names only the fields it changes. */
    private static final class Copy {
        private String name;
        private String runId;
        private Path outputDir;
        private Repetitions repetitions;
        private Timeouts timeouts;
        private Polling polling;
        private Targets targets;
        private List<WorkloadPlan> workloads;
        private Containers containers;
        private HostLimit limit;
        private int slices;
        private Export export;
        private History history;

        Copy(RunConfig r) {
            name = r.name;
            runId = r.runId;
            outputDir = r.outputDir;
            repetitions = r.repetitions;
            timeouts = r.timeouts;
            polling = r.polling;
            targets = r.targets;
            workloads = r.workloads;
            containers = r.containers;
            limit = r.limit;
            slices = r.slices;
            export = r.export;
            history = r.history;
        }

        RunConfig build() {
            return new RunConfig(name, runId, outputDir, repetitions, timeouts, polling, targets, workloads, containers,
                    limit, slices, export, history);
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
                Map.of(), null, 60.0, null, null, null, null, null, null, null, null, null);
        Host local = new Host("localhost", null, null, null, null, "local", null);
        return new RunConfig("quickstart (built-in)", null, outputDir, new Repetitions(3, 0, 0, null, false),
                Timeouts.defaults(600),
                new Polling(Polling.DEFAULT_INTERVAL_S, Polling.DEFAULT_BATCH_S),
                new Targets(null, List.of(local), false, false, "~/.cache/lb/runs", false, false), List.of(loop), null,
                null, 1, Export.NONE, History.NONE);
    }
}

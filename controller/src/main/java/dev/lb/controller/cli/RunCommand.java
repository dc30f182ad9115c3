package dev.lb.controller.cli;

import dev.lb.protocol.WorkloadPlan;
import dev.lb.controller.ExitCode;
import dev.lb.controller.ansible.AnsibleLocator;
import dev.lb.controller.ansible.HostPatterns;
import dev.lb.controller.ansible.Installation;
import dev.lb.controller.config.ConfigException;
import dev.lb.controller.config.ConfigLoader;
import dev.lb.controller.config.RunConfig;
import dev.lb.controller.history.HistorySettings;
import dev.lb.controller.analysis.ResultEvents;
import dev.lb.controller.analysis.ResultsException;
import dev.lb.controller.analysis.ResultsFiles;
import dev.lb.controller.analysis.NoiseNotes;
import dev.lb.controller.analysis.ResultsTable;
import dev.lb.controller.analysis.RunResults;
import dev.lb.protocol.TerminalText;
import dev.lb.controller.run.RunPipeline;
import dev.lb.controller.run.StopSignal;
import dev.lb.controller.state.RunSummary;
import dev.lb.controller.view.Views;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lb run}: the main job. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs a benchmark: every workload x repetition on every target through ansible-playbook, showing every"
                    + " event live and journalling each exactly once under OUTPUT_DIR/<run_id>/ (journal.jsonl,"
                    + " summary.json, ansible.log, events.jsonl).",
            "",
            "Without -c it runs the built-in quickstart: this machine (local connection), a CPU-bound shell loop"
                    + " timed over 3 repetitions, about 15 s. Every run ends with its results table (as lb results"
                    + " prints it), and writes results.json and results.csv into the run directory.",
            "",
            "Ctrl-C (or SIGTERM, or SIGHUP when the terminal is lost) stops the run properly: STOP goes to every target, the agents stop their workloads"
                    + " and report 'stopped'; a second Ctrl-C ends at once.",
            ""},
        footer = {"", "Exit codes: 0 every repetition done and every event accounted for, 1 a repetition failed, timed"
                + " out or did not run, 2 usage or config error, 3 events lost or completeness cannot be shown (wins"
                + " over 1), 5 not run: a target is held by another run, 130 interrupted.",
            "A documented example config: examples/benchmark.yaml"})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "The run config (YAML).")
    Path config;

    @Option(names = "--output", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (the dashboard on a terminal, plain otherwise), tui, plain or json"
                    + " (default: ${DEFAULT-VALUE}).")
    String output;

    @Option(names = "--wait-at-end", description = "Dashboard only: keep the final screen until a key is pressed.")
    boolean waitAtEnd;

    @Option(names = "--run-id", paramLabel = "ID", description = "Overrides the config's run_id.")
    String runId;

    @Option(names = "--workload", paramLabel = "NAME",
            description = "Run only this workload of the config (repeatable; default: every workload).")
    List<String> onlyWorkloads = new java.util.ArrayList<>();

    @Option(names = "--repetitions", paramLabel = "N", description = "Overrides the config's repetitions.")
    Integer repetitions;

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN",
            description = "Run on only the targets this Ansible host pattern selects, as ansible-playbook --limit"
                    + " reads it (names, groups, wildcards, ~regex, a:b, !a, a:&b, @file); checked against the"
                    + " inventory before the run: a pattern that selects no host is a usage error.")
    String limit;

    @Option(names = "--slices", paramLabel = "K",
            description = "Split the targets into K groups, each driven by its own ansible-playbook process (1 to "
                    + dev.lb.controller.config.ConfigLoader.MAX_SLICES + ", or auto: 1 below "
                    + "8 hosts, else ceil(hosts / 8) up to the controller's cores); overrides the config's slices.")
    String slices;

    @Option(names = "--output-dir", paramLabel = "DIR",
            description = "Where the run directory goes (default: $LB_RUNS_DIR when set, else the config's output_dir,"
                    + " else runs in the current directory).")
    Path outputDir;

    @Option(names = "--wait-for-targets", paramLabel = "SECONDS", defaultValue = "0",
            description = "A target busy with another lb run is waited for up to this long (default: not at all: the"
                    + " run stops on that target, naming the run that holds it).")
    double waitForTargets;

    @Option(names = "--label", paramLabel = "KEY=VALUE",
            description = "A label recorded with the run in the history (repeatable), e.g. commit=1a2b3c.")
    List<String> labels = List.of();

    @Option(names = "--history-url", paramLabel = "URL",
            description = "The history store the run is recorded in (default: $LB_HISTORY_URL when set, else"
                    + " history.db in the runs directory).")
    String historyUrl;

    @Option(names = "--no-history", description = "Do not record the run in the history.")
    boolean noHistory;

    @Option(names = "--history-check",
            description = "After recording the run, check it against its history as lb history check does: exit 4 when"
                    + " the run was otherwise 0 and a primary metric regressed, 1 when the check cannot read the store.")
    boolean historyCheck;

    @Option(names = "--export", paramLabel = "KIND=URL",
            description = "Also send the run to this endpoint (repeatable), besides the config's export: KIND is"
                    + " remote-write (Prometheus .../api/v1/write), pushgateway (its base URL) or loki"
                    + " (.../loki/api/v1/push). See docs/export.md.")
    List<String> exports = new java.util.ArrayList<>();

    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT",
            description = "Serve /metrics for Prometheus to scrape during the run (run progress and latest values),"
                    + " for example 127.0.0.1:9464; overrides the config's export.prometheus.listen.")
    String metricsListen;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!output.matches("auto|plain|json|tui")) {
            throw new LbException(ExitCode.USAGE, "--output must be auto, plain, json or tui, not '" + output + "'");
        }
        if (historyCheck && noHistory) {
            throw new LbException(ExitCode.USAGE, "--history-check needs the run recorded: drop --no-history");
        }
        RunConfig cfg = load();
        HistorySettings history = new HistorySettings(cfg.history().url(), cfg.history().labels(),
                cfg.history().minChange());
        Map<String, String> runLabels = RunHistoryAtEnd.labels(history, labels);
        Installation install = Installation.locate(System.getenv("LB_HOME"));
        String problem = install.problem();
        if (problem != null) {
            throw new LbException(ExitCode.USAGE, problem);
        }
        Path ansible = AnsibleLocator.find(System.getenv("PATH")).orElse(null);
        if (ansible == null && AnsibleLocator.installIfPossible(err)) {
            ansible = AnsibleLocator.find(System.getenv("PATH")).orElse(null);
        }
        if (ansible == null) {
            throw new LbException(ExitCode.USAGE, "ansible-playbook not found; install it first: "
                    + AnsibleLocator.INSTALL_HINT);
        }
        if (limit != null) {
            cfg = limited(cfg, ansible, install);
        }
        StopSignal stop = new StopSignal();
        SignalBridge.install(stop);
        RunPipeline pipeline = new RunPipeline(install, ansible, stop, Clock.systemUTC());
        try {
            RunSummary summary = pipeline.run(cfg, info -> Views.forRun(output, out, err, waitAtEnd,
                    () -> stop.request("q pressed")));
            if (stop.requests() > 0) {
                return ExitCode.INTERRUPTED;
            }
            if (!summary.isUnfinished()) {
                // The numbers are what the run was for: shown where the summary went, and kept in the run directory.
                Path runDir = cfg.outputDir().resolve(summary.runId());
                PrintWriter to = output.equals("json") ? err : out;
                showResults(runDir, NoiseNotes.of(summary), to, err);
                if (noHistory) {
                    // Not recorded now, but the labels given are kept for lb history import to record later.
                    dev.lb.controller.history.RunHistory.keepLabels(runDir, runLabels, err);
                } else {
                    var store = RunHistoryAtEnd.record(runDir, runLabels, historyUrl, history, cfg.outputDir(), to,
                            err);
                    if (historyCheck) {
                        return RunHistoryAtEnd.check(summary.exitCode(), runDir, store, history, to, err);
                    }
                }
            } else if (historyCheck) {
                err.println("lb: --history-check: the run is unfinished, so it was neither recorded nor checked");
            }
            return summary.exitCode();
        } catch (RunPipeline.NotEnoughRoom e) {
            // Nothing ran: like a bad config, the user has to change something first.
            throw new LbException(ExitCode.USAGE, e.getMessage());
        } catch (FileAlreadyExistsException e) {
            throw new LbException(ExitCode.USAGE, e.getFile() + ": " + e.getReason());
        } catch (dev.lb.controller.run.RunDirectory.Unusable e) {
            // Nothing ran: the config (or --output-dir) has to change first.
            throw new LbException(ExitCode.USAGE, e.getMessage());
        } catch (IOException | RuntimeException e) {
            // Completeness was not shown: 3, whatever the repetitions did.
            throw new LbException(ExitCode.INCOMPLETE, "the run could not go on: " + e.getMessage(), e);
        }
    }

    /**
     * The run's results table (as {@code lb results} prints it) and results.json/.csv written. A problem here is said
     * and leaves the run's exit code alone: the run itself is over, and {@code lb results RUN} computes them again.
     */
    static void showResults(Path runDir, NoiseNotes noise, PrintWriter to, PrintWriter err) {
        try {
            RunResults results = RunResults.of(ResultEvents.read(runDir,
                    problem -> err.println("lb: " + TerminalText.sanitize(problem))));
            ResultsFiles.write(runDir, results);
            to.println();
            ResultsTable.lines(results, noise).forEach(to::println);
            to.println("(written: " + runDir.resolve(ResultsFiles.JSON) + "; lb results, lb compare and lb report read"
                    + " the run again)");
        } catch (ResultsException e) {
            err.println("lb: the run's results could not be computed: " + TerminalText.sanitize(e.getMessage())
                    + "; lb results " + runDir + " tries again");
        }
        to.flush();
        err.flush();
    }

    /** Resolves --limit with Ansible before anything of the run exists: no run directory for a usage error. */
    private RunConfig limited(RunConfig cfg, Path ansible, Installation install) throws InterruptedException {
        if (limit.isBlank()) {
            throw new LbException(ExitCode.USAGE, "--limit needs a host pattern");
        }
        try {
            return cfg.withLimit(HostPatterns.select(cfg, limit, ansible, install));
        } catch (HostPatterns.Refused e) {
            throw new LbException(ExitCode.USAGE, e.getMessage());
        } catch (IOException e) {
            throw new LbException(ExitCode.USAGE, "--limit '" + limit + "' could not be checked: " + e.getMessage());
        }
    }

    private static int slices(String k) {
        if (k.equals("auto")) {
            return RunConfig.AUTO_SLICES;
        }
        try {
            int n = Integer.parseInt(k);
            if (n >= 1 && n <= dev.lb.controller.config.ConfigLoader.MAX_SLICES) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the usage error below says what is accepted
        }
        throw new LbException(ExitCode.USAGE, "--slices must be auto or 1 to "
                + dev.lb.controller.config.ConfigLoader.MAX_SLICES + ", was '" + k + "'");
    }

    private RunConfig load() {
        RunConfig cfg;
        try {
            cfg = config == null ? RunConfig.quickstart(Path.of("runs")) : ConfigLoader.load(config);
        } catch (ConfigException e) {
            throw new LbException(ExitCode.USAGE, e.getMessage());
        }
        if (runId != null) {
            if (!runId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                throw new LbException(ExitCode.USAGE, "--run-id must be letters, digits, '.', '_', '-' (up to 64)");
            }
            cfg = cfg.withRunId(runId);
        }
        if (!onlyWorkloads.isEmpty()) {
            List<String> names = cfg.workloads().stream().map(WorkloadPlan::name).toList();
            List<String> unknown = onlyWorkloads.stream().filter(w -> !names.contains(w)).toList();
            if (!unknown.isEmpty()) {
                throw new LbException(ExitCode.USAGE, "--workload " + String.join(", ", unknown)
                        + ": not in the config; its workloads are " + String.join(", ", names));
            }
            cfg = cfg.withWorkloads(cfg.workloads().stream().filter(w -> onlyWorkloads.contains(w.name())).toList());
        }
        if (repetitions != null) {
            if (repetitions < 1 || repetitions > 100_000) {
                throw new LbException(ExitCode.USAGE, "--repetitions must be 1 to 100000, was " + repetitions);
            }
            cfg = cfg.withRepetitions(repetitions);
        }
        if (slices != null) {
            cfg = cfg.withSlices(slices(slices));
            if (cfg.repetitions().sync() && cfg.slices() != 1) {
                throw new LbException(ExitCode.USAGE, "--slices " + slices + ": the config says sync: true, a barrier"
                        + " across every target, which needs one ansible-playbook (--slices 1)");
            }
        }
        if (waitForTargets < 0) {
            throw new LbException(ExitCode.USAGE, "--wait-for-targets must be 0 or more seconds");
        }
        if (outputDir != null) {
            cfg = cfg.withOutputDir(outputDir);
        }
        if (!exports.isEmpty()) {
            List<RunConfig.Endpoint> more = new java.util.ArrayList<>();
            for (String spec : exports) {
                try {
                    more.add(RunConfig.Export.parse(spec));
                } catch (IllegalArgumentException e) {
                    throw new LbException(ExitCode.USAGE, "--export: " + e.getMessage());
                }
            }
            cfg = cfg.withMoreExports(more);
        }
        if (metricsListen != null) {
            try {
                cfg = cfg.withMetricsListen(metricsListen);
            } catch (IllegalArgumentException e) {
                throw new LbException(ExitCode.USAGE, "--metrics-listen: " + e.getMessage());
            }
        }
        return cfg.withWaitForTargets(waitForTargets);
    }
}

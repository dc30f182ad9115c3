package dev.lb.agent.cli;

import dev.lb.agent.logging.EventLogAppender;
import dev.lb.agent.run.Outcome;
import dev.lb.agent.run.RepetitionHooks;
import dev.lb.agent.run.RepetitionRunner;
import dev.lb.agent.run.RunSettings;
import dev.lb.agent.run.SkipAhead;
import dev.lb.agent.run.Stability;
import dev.lb.agent.run.ResultSource;
import dev.lb.agent.run.WorkloadSpec;
import dev.lb.results.DeclaredMetric;
import dev.lb.results.StabilityRule;
import dev.lb.agent.stream.AtomicFiles;
import dev.lb.agent.stream.Emitter;
import dev.lb.agent.stream.EventStream;
import dev.lb.agent.stream.StatusFile;
import dev.lb.agent.stream.StreamWriteFailure;
import dev.lb.protocol.EventLevel;
import dev.lb.protocol.EventStatus;
import dev.lb.protocol.Json;
import dev.lb.protocol.WorkloadPlan;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lb-agent run}: one repetition of one workload. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs one repetition of a workload and streams its events to the run's stream file: 'running' with the"
                    + " command and pid, one type=log event per stdout/stderr line (stderr at WARNING), the agent's"
                    + " own log records, for k6 each line of its log file and a summary, and finally 'done',"
                    + " 'failed', 'stopped' or 'timeout'. The final event and the status file (status.json, written"
                    + " after it) carry the seal: per src, the last seq and the number of events written.",
            "",
            "The workload stops on a STOP file in the run directory, on SIGTERM, or at --timeout: its whole"
                    + " process tree gets TERM, then KILL after the grace period. --timeout ends as 'timeout'"
                    + " (error_type workload_timeout), as does a STOP file holding {\"reason\": \"repetition_timeout\","
                    + " ...} (error_type repetition_timeout); any other STOP file ends as 'stopped'. While the"
                    + " workload runs, workload.pgid in the run directory holds its process group id.",
            "",
            "When the stream file cannot be written (a full disk: ENOSPC; EIO), it is cut back to the last whole"
                    + " event and not written any more, the workload is stopped, the repetition ends 'failed'"
                    + " (error_type stream_write_failed) and status.json (its room reserved at the start) says why"
                    + " and how many events were written whole; exit code 5.",
            "",
            "With --detach the agent starts itself again in a new session (setsid), detached from the caller, so"
                    + " it survives the SSH session that started it; the caller returns once the pid file"
                    + " (agent.pid) names the running agent.",
            "",
            "Examples:",
            "  lb-agent run --run-dir /var/tmp/lb-r1 --workload cpu --repetition 1 -- stress-ng --cpu 1 -t 10s",
            "  lb-agent run --run-dir /var/tmp/lb-r1 --workload api --repetition 1 --type k6 --k6-script api.js",
            ""})
final class RunCommand implements Callable<Integer> {
    static final String STREAM_FILE = "lb_events.stream.log";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Option(names = "--run-dir", required = true, paramLabel = "DIR",
            description = "The run's private directory (created with mode 0700 when missing).")
    Path runDir;

    @Option(names = "--workload", required = true, paramLabel = "NAME", description = "Workload name.")
    String workload;

    @Option(names = "--plans", paramLabel = "FILE",
            description = "The run's workload plans, a JSON array as lb writes it (each: name, type, argv, env, cwd,"
                    + " timeout_s, script, k6_binary, binary, results, metrics_interval_s, before_repetition,"
                    + " after_repetition, nice): the one named --workload is run with everything it says. Replaces"
                    + " the workload options below, which are for running the agent by hand.")
    Path planFile;

    @Option(names = "--repetition", required = true, paramLabel = "N", description = "This repetition, from 1.")
    int repetition;

    @Option(names = "--total-repetitions", paramLabel = "N", description = "How many repetitions the run has.")
    Integer totalRepetitions;

    @Option(names = "--run-id", paramLabel = "ID", description = "The run's id, copied into every event.")
    String runId;

    @Option(names = "--host", paramLabel = "NAME",
            description = "Inventory name of this host (default: the host name).")
    String host;

    @Option(names = "--type", paramLabel = "TYPE",
            description = "Workload type: command, k6, stress-ng, fio or sysbench (default: command). For"
                    + " stress-ng, fio and sysbench the tool's arguments follow --, and the agent adds what makes the"
                    + " tool write its results (stress-ng --metrics --yaml FILE, fio --output-format=json"
                    + " --output=FILE; sysbench's text output is read from stdout); after the repetition one result"
                    + " event carries the parsed metrics.")
    String type;

    @Option(names = "--warmup",
            description = "A warm-up repetition: it runs like any other, and every event says \"warmup\": true so that"
                    + " its numbers never count in the statistics.")
    boolean warmup;

    @Option(names = "--until-stable", paramLabel = "JSON",
            description = "Adaptive repetitions, {\"min\": N, \"until_cv\": CV, \"metric\": \"NAME\"}: when the"
                    + " earlier repetitions of this workload in this run directory that ended done have at least min"
                    + " values of the result metric NAME and their coefficient of variation is at most CV, this"
                    + " repetition runs nothing and ends skipped, saying after how many and why; otherwise it runs"
                    + " and its value counts for the next ones. Not with --warmup.")
    String untilStable;

    @Option(names = "--skip-ahead", paramLabel = "DIR",
            description = "With --until-stable and --total-repetitions: when this repetition ends done or skipped and"
                    + " the repetitions are stable, write each later repetition's final skipped event and status file"
                    + " ahead (after this repetition's final event, before its status.json), exactly as its own agent"
                    + " would (only ts differs), into DIR/<repetition>/ ("
                    + STREAM_FILE + ", then status.json), so that the start step appends them to the run directory's"
                    + " stream file and starts no agent for it. Not with --stream-file.")
    Path skipAhead;

    @Option(names = "--metrics-interval", paramLabel = "SECONDS",
            description = "Sample CPU, memory, load, disk and network from /proc this often while the workload runs,"
                    + " each sample one metric event; 0: never (default: 1).")
    Double metricsIntervalSeconds;

    @Option(names = "--nice", paramLabel = "N",
            description = "Run the workload (not its hooks) at this scheduling priority, -20 to 19, through"
                    + " coreutils' nice (default: the agent's own).")
    Integer nice;

    @Option(names = "--cpus", paramLabel = "LIST",
            description = "Run the workload (not its hooks) on these CPUs only, a CPU list such as 2, 2-3 or 0,4-5,"
                    + " through util-linux's taskset (default: any).")
    String cpus;

    @Option(names = "--tool-binary", paramLabel = "PATH",
            description = "The stress-ng, fio or sysbench executable, a path or a name on PATH (default: the tool's"
                    + " name).")
    String toolBinary;

    @Option(names = "--results", paramLabel = "JSON",
            description = "For a command: the metrics it reports, a JSON array of {name, unit, regex} (first group"
                    + " of the last match in stdout) or {name, unit, file, pointer} (a JSON file, RFC 6901 pointer).")
    String declaredResults;

    @Option(names = "--before-repetition", paramLabel = "JSON",
            description = "A command run before the workload, as a JSON array of strings (its argv, never a shell"
                    + " string), in the workload's working directory and environment; its output lines are events"
                    + " of stream 'before'. When it cannot start, exits non-zero or is still running at a stop or"
                    + " the time-out, the repetition fails (error_type before_repetition_failed) and the workload"
                    + " does not start.")
    String beforeRepetition;

    @Option(names = "--after-repetition", paramLabel = "JSON",
            description = "A command run after the workload (JSON array, as --before-repetition), whenever the"
                    + " before-command was started, even when the workload failed or was stopped (it then gets"
                    + " --grace to finish); output lines of stream 'after'. Its failure fails a repetition that"
                    + " would otherwise be done (error_type after_repetition_failed) and is added to any other"
                    + " failure's reason.")
    String afterRepetition;

    @Option(names = "--cwd", paramLabel = "DIR", description = "Working directory (default: the run directory).")
    String cwd;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "Environment variable for the workload; repeatable.")
    List<String> env = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Stop the repetition after this long.")
    Double timeoutSeconds;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "10",
            description = "Time between TERM and KILL when stopping (default: ${DEFAULT-VALUE}).")
    double graceSeconds;

    @Option(names = "--max-line-bytes", paramLabel = "N", defaultValue = "1048576",
            description = "Output lines longer than this are truncated and marked truncated (default: ${DEFAULT-VALUE}).")
    int maxLineBytes;

    @Option(names = "--max-event-bytes", paramLabel = "N", defaultValue = "1048576",
            description = "No stream line (LB_EVENT, JSON, newline) is longer than this: a longer event's message is"
                    + " shortened and the event marked truncated. At least 4096; must stay below the poll step's"
                    + " max_bytes (4 MiB by default) (default: ${DEFAULT-VALUE}).")
    int maxEventBytes;

    @Option(names = "--stream-file", paramLabel = "FILE",
            description = "Event stream file (default: RUN_DIR/" + STREAM_FILE + ").")
    Path streamFile;

    @Option(names = "--k6-binary", paramLabel = "PATH",
            description = "The k6 executable, a path or a name on PATH (default: k6).")
    String k6Binary;

    @Option(names = "--k6-script", paramLabel = "FILE", description = "The k6 script (type k6).")
    String k6Script;

    @Option(names = "--k6-config-id", paramLabel = "ID",
            description = "Names k6's events: src k6[ID] (default: the workload name).")
    String k6ConfigId;

    @Option(names = "--k6-arg", paramLabel = "ARG", description = "Extra argument for k6 run; repeatable.")
    List<String> k6Args = new ArrayList<>();

    @Option(names = "--detach", description = "Start in a new session, detached; return once running.")
    boolean detach;

    @Parameters(paramLabel = "ARGV", description = "The command and its arguments (type command), after --.")
    List<String> argv = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (detach) {
            prepareRunDir();
            return Detacher.detach(runDirPath(), command.commandLine().getParseResult().originalArgs(),
                    command.commandLine().getErr());
        }
        checkLimits();
        WorkloadPlan plan = plan();
        WorkloadSpec spec = spec(plan);
        StabilityRule stability = stabilityRule();
        RepetitionHooks hooks = new RepetitionHooks(plan.beforeRepetition(), plan.afterRepetition());
        Path dir = prepareRunDir();
        Files.deleteIfExists(dir.resolve(StatusFile.NAME));
        // Before anything else is written: the repetition that fills the disk must still be able to say so.
        StatusFile statusFile = StatusFile.reserve(dir);
        try (EventStream stream = EventStream.open(stream(), maxEventBytes)) {
            Emitter emitter = new Emitter(stream, context(), Clock.systemUTC());
            EventLogAppender.install(emitter, System.getenv(EventLogAppender.ENV));
            if (statusFile.reserveFailure() != null) {
                command.commandLine().getErr().println("lb-agent: cannot reserve room for " + StatusFile.NAME
                        + " in " + dir + " (" + statusFile.reserveFailure().getMessage() + "); it is written without"
                        + " a reserve at the end");
            }
            RunSettings settings = new RunSettings(dir, stream.path(),
                    plan.timeoutS() == null ? null : seconds(plan.timeoutS()), seconds(graceSeconds), maxLineBytes,
                    Duration.ofMillis(100), seconds(plan.metricsIntervalS()), plan.nice(), plan.cpus());
            AtomicFiles.write(settings.pidFile(),
                    (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8));
            RepetitionRunner runner = new RepetitionRunner(spec, hooks, settings, emitter, statusFile, Clock.systemUTC(),
                    stability == null ? null : new Stability(stability, stabilityFile(dir)));
            Thread hook = new Thread(() -> {
                runner.requestStop("SIGTERM");
                try {
                    runner.awaitFinished(settings.grace().plusSeconds(15));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "stop-on-signal");
            Runtime.getRuntime().addShutdownHook(hook);
            if (skipAhead != null) {
                // Before status.json: the next repetition starts once it is there, and must find what is written ahead.
                runner.onSealed(o -> {
                    if (o.status() == EventStatus.DONE || o.status() == EventStatus.SKIPPED) {
                        writeAhead(stability, dir, spec, hooks, settings);
                    }
                });
            }
            Outcome outcome = runner.run();
            if (outcome.rc() == null && outcome.status() == EventStatus.FAILED) {
                command.commandLine().getErr().println("lb-agent: " + outcome.reason());
            }
            StreamWriteFailure streamFailure = emitter.streamFailure();
            if (streamFailure != null) {
                command.commandLine().getErr().println("lb-agent: " + (streamFailure.diskFull() ? "target disk full: "
                        : "") + streamFailure.describe() + "; " + emitter.failedWrites() + " events could not be"
                        + " written; the repetition ended failed (" + StreamWriteFailure.ERROR_TYPE + "), see "
                        + StatusFile.NAME);
                return AgentCommand.STREAM_WRITE_FAILED;
            }
            if (emitter.failure() != null) {
                throw new IOException("writing events to " + stream.path() + " failed (" + emitter.failedWrites()
                        + " events lost): " + emitter.failure().getMessage());
            }
            return outcome.agentExitCode();
        }
    }

    /**
     * The later repetitions known to be skipped, written ahead (see {@link SkipAhead}). A failure costs only time:
     * those repetitions start their own agents, which write the same events; it is said on stderr (agent.log).
     */
    private void writeAhead(StabilityRule stability, Path dir, WorkloadSpec spec, RepetitionHooks hooks,
                            RunSettings settings) {
        SkipAhead ahead = new SkipAhead(skipAhead.toAbsolutePath().normalize(), context(), stability,
                stabilityFile(dir), maxEventBytes, Clock.systemUTC(),
                (emitter, status, rule) -> new RepetitionRunner(spec, hooks, settings, emitter, status,
                        Clock.systemUTC(), rule));
        try {
            int written = ahead.writeAfter(repetition);
            if (written > 0) {
                command.commandLine().getErr().println("lb-agent: stable: repetitions " + (repetition + 1) + " to "
                        + (repetition + written) + " written ahead as skipped in " + skipAhead);
            }
        } catch (IOException | RuntimeException e) { // never the repetition's own status file's loss
            command.commandLine().getErr().println("lb-agent: cannot write the skipped repetitions ahead ("
                    + e.getMessage() + "); each of them starts an agent of its own");
        }
    }

    private Path stabilityFile(Path dir) {
        return dir.resolve("stability-" + safe(workload) + ".jsonl");
    }

    private void checkLimits() {
        if (skipAhead != null && (untilStable == null || totalRepetitions == null || streamFile != null)) {
            throw invalid("--skip-ahead needs --until-stable and --total-repetitions, and the run directory's own"
                    + " stream file (not --stream-file): the start step appends what it writes to that file");
        }
        if (repetition < 0) {
            throw invalid("--repetition must be 0 or more, was " + repetition);
        }
        if (maxLineBytes < 256) {
            throw invalid("--max-line-bytes must be at least 256, was " + maxLineBytes);
        }
        if (maxEventBytes < EventStream.MIN_MAX_EVENT_BYTES) {
            throw invalid("--max-event-bytes must be at least " + EventStream.MIN_MAX_EVENT_BYTES + ", was "
                    + maxEventBytes);
        }
        if (graceSeconds < 0) {
            throw invalid("--grace must be 0 or more, was " + graceSeconds);
        }
    }

    /** A run's plans are a few pages of settings: anything much larger is not a file lb wrote. */
    private static final long MAX_PLAN_BYTES = 1 << 20;

    /** The workload's plan: from --plans, or made from the workload options (the agent run by hand). */
    private WorkloadPlan plan() {
        if (planFile != null) {
            List<String> alsoGiven = command.commandLine().getParseResult().matchedOptions().stream()
                    .map(o -> o.longestName()).filter(WORKLOAD_OPTIONS::contains).toList();
            if (!alsoGiven.isEmpty() || !argv.isEmpty()) {
                throw invalid("--plans hold the whole workload; they cannot be combined with "
                        + (alsoGiven.isEmpty() ? "a command after --" : String.join(", ", alsoGiven)));
            }
            List<WorkloadPlan> plans;
            try {
                if (Files.size(planFile) > MAX_PLAN_BYTES) {
                    throw invalid("--plans " + planFile + ": " + Files.size(planFile) + " bytes, more than a run's"
                            + " plans can be (" + MAX_PLAN_BYTES + ")");
                }
                plans = WorkloadPlan.listFromJson(Files.readString(planFile, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw invalid("--plans: cannot read " + planFile + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw invalid("--plans " + planFile + ": " + e.getMessage());
            }
            return plans.stream().filter(p -> p.name().equals(workload)).findFirst()
                    .orElseThrow(() -> invalid("--plans " + planFile + " has no workload '" + workload + "' (it has: "
                            + String.join(", ", plans.stream().map(WorkloadPlan::name).toList()) + ")"));
        }
        Map<String, String> environment = new LinkedHashMap<>();
        for (String e : env) {
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw invalid("--env expects NAME=VALUE, got '" + e + "'");
            }
            environment.put(e.substring(0, eq), e.substring(eq + 1));
        }
        com.fasterxml.jackson.databind.JsonNode results = null;
        if (declaredResults != null) {
            try {
                DeclaredMetric.listFromJson(declaredResults);
                results = Json.MAPPER.readTree(declaredResults);
            } catch (IllegalArgumentException | IOException e) {
                throw invalid("--results: " + e.getMessage());
            }
        }
        try {
            return new WorkloadPlan(workload, type, List.copyOf(argv), environment, cwd, timeoutSeconds, k6Script,
                    k6Binary, toolBinary, results, metricsIntervalSeconds,
                    hookArgv("--before-repetition", beforeRepetition), hookArgv("--after-repetition", afterRepetition),
                    nice, cpus);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    /** The options a plan replaces. */
    private static final java.util.Set<String> WORKLOAD_OPTIONS = java.util.Set.of("--type", "--metrics-interval",
            "--nice", "--cpus", "--tool-binary", "--results", "--before-repetition", "--after-repetition", "--cwd", "--env",
            "--timeout", "--k6-binary", "--k6-script");

    /** What runs, and where its numbers are read, for this repetition of {@code plan}. */
    private WorkloadSpec spec(WorkloadPlan plan) {
        Path workingDir = plan.cwd() != null ? Path.of(plan.cwd()) : runDirPath();
        String name = plan.name();
        switch (plan.type()) {
            case WorkloadPlan.COMMAND -> {
                ResultSource results = ResultSource.Command.timedOnly();
                if (plan.results() != null) {
                    try {
                        DeclaredMetric.listFromJson(plan.resultsJson());
                    } catch (IllegalArgumentException e) {
                        throw invalid("results: " + e.getMessage());
                    }
                    results = new ResultSource.Command(plan.resultsJson(),
                            runDirPath().resolve("stdout-" + safe(name) + "-rep" + repetition + ".txt"));
                }
                return new WorkloadSpec.Command(plan.argv(), workingDir, plan.env(), results);
            }
            case WorkloadPlan.K6 -> {
                Path dir = runDirPath();
                String id = k6ConfigId != null ? k6ConfigId : name;
                return new WorkloadSpec.K6(plan.k6Binary(), Path.of(plan.script()).toAbsolutePath(), id,
                        List.copyOf(k6Args), dir.resolve("k6-" + safe(id) + "-rep" + repetition + ".log"),
                        dir.resolve("k6-" + safe(id) + "-rep" + repetition + "-summary.json"), workingDir, plan.env());
            }
            default -> {
                String suffix = switch (plan.type()) {
                    case "stress-ng" -> ".stress-ng.yaml";
                    case "fio" -> ".fio.json";
                    default -> ".sysbench.txt";
                };
                // Named by workload: two workloads of one tool share the host's directory.
                return new WorkloadSpec.Tool(plan.type(), plan.binary() != null ? plan.binary() : plan.type(),
                        plan.argv(), runDirPath().resolve("results-" + safe(name) + "-rep" + repetition + suffix),
                        workingDir, plan.env());
            }
        }
    }

    /** The adaptive repetitions' rule; null when the count is fixed. */
    private StabilityRule stabilityRule() {
        if (untilStable == null) {
            return null;
        }
        if (warmup) {
            throw invalid("--until-stable: a warm-up repetition never counts, so it takes no stability rule");
        }
        try {
            return StabilityRule.fromJson(untilStable);
        } catch (IllegalArgumentException e) {
            throw invalid("--until-stable: " + e.getMessage());
        }
    }

    /** A hook's argv from its JSON array of strings; null when the option is absent. */
    private List<String> hookArgv(String option, String json) {
        if (json == null) {
            return null;
        }
        com.fasterxml.jackson.databind.JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw invalid(option + ": not JSON (" + e.getOriginalMessage() + "); expected an array of strings such as"
                    + " [\"sh\", \"-c\", \"sync\"]");
        }
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw invalid(option + ": expected a non-empty JSON array of strings (the command's argv), got " + json);
        }
        List<String> argv = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode item : node) {
            if (!item.isTextual()) {
                throw invalid(option + ": every argv element must be a string, got " + item);
            }
            argv.add(item.asText());
        }
        if (argv.get(0).isEmpty()) {
            throw invalid(option + ": the command (first element) is empty");
        }
        return argv;
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private InvalidInputException invalid(String message) {
        reportInvalid(this, message);
        return new InvalidInputException(message);
    }

    /**
     * Picocli could not parse the arguments. When enough was parsed to know where the stream file is and what runs,
     * the failure is also written there as a {@code failed} event, so the controller learns why nothing ran.
     */
    static int onInvalidArguments(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        cl.getErr().println("lb-agent: " + ex.getMessage());
        if (cl.getCommand() instanceof RunCommand run) {
            reportInvalid(run, ex.getMessage());
        }
        cl.getErr().println("(see " + cl.getCommandSpec().qualifiedName() + " --help)");
        return AgentCommand.INVALID;
    }

    private static void reportInvalid(RunCommand run, String message) {
        if (run.runDir == null || run.workload == null || !Files.isDirectory(run.runDir)) {
            return;
        }
        try (EventStream stream = EventStream.open(run.stream())) {
            Emitter emitter = new Emitter(stream, run.context(), Clock.systemUTC());
            var seal = emitter.emitFinal("agent", EventStatus.FAILED, b -> b.level(EventLevel.ERROR)
                    .message("invalid input: " + message)
                    .error("invalid_input", Json.MAPPER.createObjectNode().put("reason", message)));
            var status = Json.MAPPER.createObjectNode().putNull("rc").put("status", "failed")
                    .put("error_type", "invalid_input").put("reason", message);
            status.set("seal", seal);
            StatusFile.unreserved(run.runDir).write(status, stream);
        } catch (IOException e) {
            System.err.println("lb-agent: cannot report the error in " + run.stream() + ": " + e.getMessage());
        }
    }

    private Emitter.Context context() {
        return new Emitter.Context(runId, host != null ? host : localHostName(), workload, repetition, totalRepetitions,
                warmup);
    }

    private Path runDirPath() {
        return runDir.toAbsolutePath().normalize();
    }

    private Path stream() {
        return streamFile != null ? streamFile : runDirPath().resolve(STREAM_FILE);
    }

    private Path prepareRunDir() throws IOException {
        Path dir = runDirPath();
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (IOException e) {
                throw new InvalidInputException("cannot create run directory " + dir + ": " + e);
            }
        }
        if (!Files.isWritable(dir)) {
            throw new InvalidInputException("run directory " + dir + " is not writable");
        }
        return dir;
    }

    private static Duration seconds(double s) {
        return Duration.ofMillis(Math.round(s * 1000));
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env != null ? env : "unknown-host";
        }
    }
}

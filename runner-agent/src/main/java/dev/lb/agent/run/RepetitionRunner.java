package dev.lb.agent.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.agent.metrics.MetricSource;
import dev.lb.agent.metrics.MetricsSampler;
import dev.lb.agent.metrics.NoiseSampler;
import dev.lb.agent.metrics.ProcSampler;
import dev.lb.agent.stream.Emitter;
import dev.lb.agent.stream.StatusFile;
import dev.lb.agent.stream.StreamWriteFailure;
import dev.lb.protocol.EventLevel;
import dev.lb.protocol.EventStatus;
import dev.lb.protocol.EventType;
import dev.lb.protocol.Json;
import dev.lb.results.Metric;
import dev.lb.results.MetricsJson;
import dev.lb.results.ParsedResult;
import dev.lb.results.StabilityRule;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one repetition: start the workload, turn its output (and k6's log) into events, stop it on STOP, signal or
 * time-out, then write the final event and, after it is on disk, the status file.
 *
 * <p>Every start has an end: whatever happens after {@link #run} begins, exactly one final event (done, failed,
 * stopped or timeout) is emitted, carrying the seal of the stream, and the status file is written.
 *
 * <p>When the stream file cannot be written (a full disk), the workload is stopped as for STOP, since running on
 * would be blind, and the repetition ends {@code failed} with {@code stream_write_failed}: the final event cannot
 * reach the stream, so the status file (whose room was reserved at the start) carries the reason, the seal of what
 * the stream holds and the count of events written whole; the agent says it on stderr too.
 */
public final class RepetitionRunner {
    private static final Logger log = LoggerFactory.getLogger(RepetitionRunner.class);
    private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();
    private static final String SRC = "agent";
    /** A STOP file found empty is read once more after this long: its writer may fill it a moment after creating it. */
    private static final Duration STOP_FILE_SETTLE = Duration.ofMillis(50);
    /** Text results (sysbench, declared regexes) are a few KiB; a copy past this is not a result worth parsing. */
    private static final long STDOUT_COPY_CAP = 64L << 20;

    private final WorkloadSpec spec;
    private final RepetitionHooks hooks;
    private final RunSettings settings;
    private final Emitter emitter;
    private final StatusFile statusFile;
    private final Clock clock;
    private final CountDownLatch finished = new CountDownLatch(1);
    /** What the failed event's error_context tells: rc, the last stderr lines, the command. */
    private final Map<String, Object> details = new HashMap<>();
    private final AtomicReference<StopRequest> stop = new AtomicReference<>();
    private volatile boolean streamFailureLogged;
    /** The copy of stdout a result parser reads, when the workload's numbers are in its text output. */
    private OutputCopy stdoutCopy;
    private volatile boolean workloadStarted;
    /** How long the workload process ran, from its start to its exit as waited for; null until it has exited. */
    private Duration workloadWallTime;
    /** Processes the workload left running that the marker scan found and stopped (see {@link MarkedProcesses}). */
    private int escapedProcesses;
    /** Adaptive repetitions; null when the count is fixed. */
    private final Stability stability;
    /** What the final event says about stability, when the rule applies to this repetition. */
    private ObjectNode stabilityJson;
    /** Run after the final event and before the status file; null for none. */
    private volatile Consumer<Outcome> onSealed;

    public RepetitionRunner(WorkloadSpec spec, RepetitionHooks hooks, RunSettings settings, Emitter emitter,
                            StatusFile statusFile, Clock clock) {
        this(spec, hooks, settings, emitter, statusFile, clock, null);
    }

    public RepetitionRunner(WorkloadSpec spec, RepetitionHooks hooks, RunSettings settings, Emitter emitter,
                            StatusFile statusFile, Clock clock, Stability stability) {
        this.spec = spec;
        this.stability = stability;
        this.hooks = hooks;
        this.settings = settings;
        this.emitter = emitter;
        this.statusFile = statusFile;
        this.clock = clock;
    }

    /**
     * Something to do once the final event is written and before the status file is: whoever waits for the status
     * file (the poll step, then the next repetition's start) finds it done. Set before {@link #run}.
     */
    public void onSealed(Consumer<Outcome> action) {
        this.onSealed = action;
    }

    /** Asks a running repetition to stop (from a signal handler); {@link #run} does the stopping. */
    public void requestStop(String reason) {
        request(StopRequest.stopped(reason));
    }

    /** The first request decides how the repetition ends. */
    private void request(StopRequest r) {
        stop.compareAndSet(null, r);
    }

    /** Waits until the final event and status file are written; for a signal handler holding the JVM open. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Outcome run() {
        Instant start = clock.instant();
        try {
            Outcome skipped = skippedAsStable();
            if (skipped != null) {
                finish(skipped, null);
                return skipped;
            }
            Outcome outcome = withHooks(start);
            if (spec.results() != null && workloadStarted) {
                // A workload that never started has no result to read; its final event says why. Emitted before the
                // stream's state decides the outcome, so a stream that fails on this very event is reported.
                String src = spec instanceof WorkloadSpec.K6 k6 ? k6.src() : SRC;
                Optional<ParsedResult> result = new ResultEvent(emitter, src, spec.workingDir(), start)
                        .emit(spec.results(), outcome, stdoutCopy, workloadWallTime);
                if (stability != null && outcome.status() == EventStatus.DONE && result.isPresent()) {
                    // Before the stream decides the outcome: a disk that fails right after would leave the value of
                    // a repetition that then ends failed, and the same full disk ends the later repetitions anyway.
                    stabilityJson = stability.toJson(stability.after(result.get(), emitter.context().repetition(),
                            emitter, SRC));
                }
            }
            outcome = streamFailedOr(outcome, start);
            StopRequest r = stop.get();
            ObjectNode errorContext = switch (outcome.status()) {
                case FAILED -> Json.MAPPER.valueToTree(details);
                case TIMEOUT -> r.context();
                default -> null;
            };
            StreamWriteFailure streamFailure = emitter.streamFailure();
            if (outcome.status() == EventStatus.FAILED && streamFailure != null) {
                errorContext.set("stream_failure", streamFailure.toJson());
            }
            finish(outcome, errorContext);
            return outcome;
        } finally {
            finished.countDown();
        }
    }

    /**
     * A repetition written ahead ({@link SkipAhead}): when the earlier repetitions are stable, its final event and
     * status file exactly as {@link #run} writes them for a skipped repetition, by the same code; when they are not,
     * nothing is run and empty is returned (the warnings about an unreadable history may have been written).
     */
    public Optional<Outcome> skipIfStable() {
        try {
            Outcome skipped = skippedAsStable();
            if (skipped != null) {
                finish(skipped, null);
            }
            return Optional.ofNullable(skipped);
        } finally {
            finished.countDown();
        }
    }

    /**
     * The repetition is not needed when the earlier ones of this workload on this host are stable: it ends skipped,
     * without running anything, and says after how many and why. Null when it must run.
     */
    private Outcome skippedAsStable() {
        if (stability == null) {
            return null;
        }
        StabilityRule.Verdict v = stability.before(emitter, SRC);
        if (!v.stable()) {
            return null;
        }
        stabilityJson = stability.toJson(v);
        return new Outcome(EventStatus.SKIPPED, null, null, "stable after " + v.n() + " repetitions: "
                + v.explanation(), Duration.ZERO);
    }

    /**
     * A stream that could not be written decides the outcome whatever else happened (a STOP, a time-out, a clean
     * exit): the events after the failure are missing, and that is what the repetition must report.
     */
    private Outcome streamFailedOr(Outcome outcome, Instant start) {
        StreamWriteFailure f = emitter.streamFailure();
        if (f == null || StreamWriteFailure.ERROR_TYPE.equals(outcome.errorType())) {
            return outcome;
        }
        logStreamFailure(f);
        String reason = f.describe() + (outcome.status() == EventStatus.DONE ? "" : "; the repetition would"
                + " otherwise have ended " + outcome.status().wireName()
                + (outcome.reason() == null ? "" : " (" + outcome.reason() + ")"));
        return new Outcome(EventStatus.FAILED, outcome.rc(), StreamWriteFailure.ERROR_TYPE, reason,
                Duration.between(start, clock.instant()));
    }

    /**
     * System metrics while the workload runs, one {@code type: metric} event per sample; null when off. The noise
     * metrics leave out the agent, the workload's process group (when it has its own) and their descendants.
     */
    private MetricsSampler startSampler(Optional<WorkloadGroup> group) {
        if (settings.metricsInterval().isZero()) {
            return null;
        }
        java.util.function.Consumer<String> problems = problem -> log.warn("system metrics: {}", problem);
        ProcSampler proc = new ProcSampler(Path.of("/proc"), problems);
        long pgid = group.map(WorkloadGroup::pgid).orElse(-1L);
        NoiseSampler noise = new NoiseSampler(Path.of("/proc"), Path.of("/sys/devices/system/cpu"),
                new NoiseSampler.Own(ProcessHandle.current().pid(), () -> pgid), NoiseSampler.USER_HZ,
                NoiseSampler.pageSize(Path.of("/proc/self/smaps"), problems), problems, absent -> {
                    // A machine without the counters lacks them in every repetition: said in the first one.
                    if (emitter.context().repetition() <= 1) {
                        log.warn("system metrics: {}", absent);
                    } else {
                        log.debug("system metrics: {}", absent);
                    }
                });
        MetricsSampler sampler = new MetricsSampler(settings.metricsInterval(), MetricSource.both(proc, noise), clock,
                sample -> {
            if (sample.metrics().isEmpty()) {
                return; // the first reading only primes the rates
            }
            ArrayNode metrics = MetricsJson.array(sample.metrics());
            StringBuilder message = new StringBuilder("system:");
            for (Metric m : sample.metrics()) {
                message.append(' ').append(m.name()).append('=').append(BigDecimal.valueOf(m.value())
                        .setScale(1, RoundingMode.HALF_UP).toPlainString()).append(m.unit().symbol());
            }
            String top = sample.labels().get(NoiseSampler.TOP_NAME_LABEL);
            if (top != null) {
                message.append(" (top other: ").append(top).append(')');
            }
            emitter.emit(SRC, EventStatus.RUNNING, b -> {
                b.type(EventType.METRIC).ts(sample.time()).message(message.toString()).extra("metrics", metrics);
                sample.labels().forEach((k, v) -> b.extra(k, NODES.textNode(v)));
            });
        });
        sampler.start();
        return sampler;
    }

    /** Once, on stderr (agent.log): the stream cannot say it any more. */
    private void logStreamFailure(StreamWriteFailure f) {
        if (!streamFailureLogged) {
            streamFailureLogged = true;
            log.error("{}{}", f.diskFull() ? "target disk full: " : "", f.describe());
        }
    }

    /**
     * The workload between its hooks: the before-hook runs once the workload is known to be runnable, and the
     * workload only when the before-hook succeeded; the after-hook runs whenever the before-hook was started (or
     * there is none), whatever happened to the workload.
     */
    private Outcome withHooks(Instant start) {
        Outcome unrunnable = unrunnable(start);
        if (unrunnable != null) {
            return unrunnable;
        }
        Outcome outcome = null;
        boolean beforeStarted = true;
        if (hooks.before() != null) {
            RepetitionHook before = RepetitionHook.before(hooks.before(), spec, settings, emitter, clock);
            RepetitionHook.Result r = before.run(() -> pendingStopReason(start), settings.grace());
            beforeStarted = r.started();
            if (r.failure() != null) {
                details.put(before.name(), before.context(r));
                outcome = new Outcome(EventStatus.FAILED, null, before.errorType(), r.failure(),
                        Duration.between(start, clock.instant()));
            }
        }
        if (outcome == null) {
            outcome = execute(start);
        }
        if (hooks.after() != null && beforeStarted) {
            outcome = afterHook(outcome, start);
        }
        return outcome;
    }

    /**
     * Runs the after-hook, under the repetition's STOP, signal and time-out while they have not ended it; once they
     * have (the workload was stopped), the hook still runs and gets the grace period to finish. Its failure fails a
     * repetition that would otherwise be done; an earlier end keeps its status and error type, the reason grows.
     */
    private Outcome afterHook(Outcome outcome, Instant start) {
        RepetitionHook after = RepetitionHook.after(hooks.after(), spec, settings, emitter, clock);
        RepetitionHook.Result r;
        if (stop.get() == null) {
            r = after.run(() -> pendingStopReason(start), settings.grace());
        } else {
            Instant deadline = clock.instant().plus(settings.grace());
            r = after.run(() -> clock.instant().isAfter(deadline) ? "the grace period of "
                    + seconds(settings.grace()).toPlainString() + " s after the repetition's stop ended" : null,
                    Duration.ZERO);
        }
        Duration took = Duration.between(start, clock.instant()); // the hooks are part of the repetition's duration
        if (r.failure() == null) {
            return new Outcome(outcome.status(), outcome.rc(), outcome.errorType(), outcome.reason(), took);
        }
        ObjectNode context = after.context(r);
        details.put(after.name(), context);
        StopRequest stopped = stop.get();
        if (outcome.status() == EventStatus.TIMEOUT && stopped != null && stopped.context() != null) {
            stopped.context().set(after.name(), context);
        }
        if (outcome.status() == EventStatus.DONE) {
            return new Outcome(EventStatus.FAILED, outcome.rc(), after.errorType(), r.failure(), took);
        }
        String reason = outcome.reason() == null ? r.failure() : outcome.reason() + "; " + r.failure();
        return new Outcome(outcome.status(), outcome.rc(), outcome.errorType(), reason, took);
    }

    /** Why the workload cannot be started, before anything runs; null when it can be. */
    private Outcome unrunnable(Instant start) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(spec.env());
        Optional<Path> exe = Executables.find(spec.argv().get(0), env.get("PATH"), spec.workingDir());
        if (exe.isEmpty()) {
            return failure(start, "binary_not_found", "cannot run '" + spec.argv().get(0)
                    + "': not found or not executable (PATH=" + env.get("PATH") + ")");
        }
        if (spec instanceof WorkloadSpec.K6 k6 && !Files.isReadable(k6.script())) {
            return failure(start, "script_unreadable", "cannot read k6 script " + k6.script());
        }
        if (!Files.isDirectory(spec.workingDir())) {
            return failure(start, "working_dir_missing", "working directory " + spec.workingDir() + " does not exist");
        }
        if (settings.cpus() != null && Executables.taskset().isEmpty()) {
            return failure(start, "binary_not_found", "cannot run the workload on CPUs " + settings.cpus()
                    + ": util-linux's taskset is not in /usr/bin or /bin");
        }
        if (settings.nice() != null && Niceness.executable().isEmpty()) {
            return failure(start, "binary_not_found", "cannot run the workload at nice " + settings.nice()
                    + ": coreutils' nice is not in /usr/bin or /bin");
        }
        return null;
    }

    private Outcome execute(Instant start) {
        List<String> argv = new ArrayList<>();
        Optional<Path> setsid = Executables.setsid();
        if (setsid.isPresent()) {
            argv.add(setsid.get().toString());
            argv.add("--wait");
        } else {
            log.warn("setsid is not available: the workload shares the agent's process group, so stopping it reaches"
                    + " only its descendants, and no {} is written", WorkloadGroup.FILE);
        }
        if (settings.cpus() != null) {
            // taskset execs the rest with the affinity set: the pid stays the workload's (through nice, if any).
            argv.addAll(List.of(Executables.taskset().orElseThrow().toString(), "-c", settings.cpus()));
        }
        if (settings.nice() != null) {
            try {
                argv.addAll(Niceness.prefix(Niceness.executable().orElseThrow(), settings.nice(), Niceness.own()));
            } catch (IOException e) {
                return failure(start, "start_failed", "cannot set the workload's nice " + settings.nice() + ": "
                        + e.getMessage());
            }
        }
        argv.addAll(spec.argv());
        ProcessBuilder pb = new ProcessBuilder(argv).directory(spec.workingDir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(spec.env());
        MarkedProcesses marked;
        try {
            marked = MarkedProcesses.fresh();
        } catch (IOException e) {
            return failure(start, "start_failed", "cannot read /proc to track the workload's processes: "
                    + e.getMessage());
        }
        pb.environment().put(marked.variable(), marked.value());
        Process process;
        long startedNanos = System.nanoTime();
        try {
            process = pb.start();
        } catch (IOException e) {
            return failure(start, "start_failed", "cannot start " + spec.argv().get(0) + ": " + e.getMessage());
        }
        workloadStarted = true;
        ArrayNode command = NODES.arrayNode();
        spec.argv().forEach(command::add);
        emitter.emit(SRC, EventStatus.RUNNING, b -> {
            b.message("started: " + String.join(" ", spec.argv()) + " (pid " + process.pid() + ")")
                    .extra("pid", NODES.numberNode(process.pid())).extra("command", command);
            if (settings.nice() != null) {
                b.extra("nice", NODES.numberNode(settings.nice()));
            }
            if (settings.cpus() != null) {
                b.extra("cpus", NODES.textNode(settings.cpus()));
            }
        });
        Optional<WorkloadGroup> group = Optional.empty();
        if (setsid.isPresent()) {
            try {
                group = WorkloadGroup.record(process, settings.runDir());
            } catch (IOException e) {
                log.error("cannot record the workload's process group in {}: {}", settings.runDir(), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        MetricsSampler sampler = startSampler(group);
        FileFollower k6Log = null;
        if (spec instanceof WorkloadSpec.K6 k6) {
            emitter.emit(k6.src(), EventStatus.RUNNING, b -> b.type(EventType.LOG).message(k6.src() + " log stream started"));
            k6Log = new FileFollower(k6.logFile(), Duration.ofMillis(50), settings.maxLineBytes(),
                    new LineEvents(emitter, k6.src(), "k6-log", K6Results::levelOf));
            k6Log.start();
        }
        if (spec.results() != null && spec.results().stdoutCopy() != null) {
            stdoutCopy = new OutputCopy(spec.results().stdoutCopy(), STDOUT_COPY_CAP);
        }
        OutputPump out = new OutputPump("stdout", process.getInputStream(), settings.maxLineBytes(),
                new LineEvents(emitter, SRC, "stdout", OutputLevels.of(spec, false), stdoutCopy));
        OutputPump err = new OutputPump("stderr", process.getErrorStream(), settings.maxLineBytes(),
                new LineEvents(emitter, SRC, "stderr", OutputLevels.of(spec, true)));
        out.start();
        err.start();

        int rc;
        try {
            rc = waitOrStop(process, start);
            // Measured here, before the output is drained and the group released: the process's own time only.
            workloadWallTime = Duration.ofNanos(System.nanoTime() - startedNanos);
            if (sampler != null) {
                sampler.close(); // the workload has ended: what follows would measure the agent, not the benchmark
            }
            drain(process, out, err, group, marked);
            // Before the group is released: what is left in the group carries the marker too, and is named here.
            stopEscaped(marked, settings.grace());
            if (group.isPresent()) {
                group.get().release(settings.grace());
            }
            if (k6Log != null) {
                k6Log.stopAndDrain();
            }
        } catch (InterruptedException e) {
            if (sampler != null) {
                sampler.close(); // before the interrupt flag is set again, so that close can wait for a sample
            }
            Thread.currentThread().interrupt();
            requestStop("agent interrupted");
            try {
                ProcessTree.terminate(process, Duration.ZERO);
                stopEscaped(marked, Duration.ZERO);
                if (group.isPresent()) {
                    group.get().release(Duration.ZERO);
                }
            } catch (InterruptedException again) {
                Thread.currentThread().interrupt();
            }
            rc = -1;
        } finally {
            if (sampler != null) {
                sampler.close(); // closing twice is harmless; an unexpected exception must not leave it sampling
            }
        }
        if (stdoutCopy != null) {
            stdoutCopy.close();
        }
        if (spec instanceof WorkloadSpec.K6 k6) {
            emitter.emit(k6.src(), EventStatus.RUNNING, b -> b.type(EventType.LOG).message(k6.src() + " log stream stopped"));
        }
        Duration took = Duration.between(start, clock.instant());
        details.put("rc", rc);
        details.put("stderr_tail", err.events().tail());
        details.put("command", spec.argv());
        StopRequest stopped = stop.get();
        if (stopped != null) {
            return new Outcome(stopped.status(), rc, stopped.errorType(), stopped.reason(), took);
        }
        IOException readFailure = out.failure() != null ? out.failure() : err.failure();
        if (readFailure != null) {
            return new Outcome(EventStatus.FAILED, rc, "output_read_failed",
                    "reading the workload's output failed, lines may be missing: " + readFailure, took);
        }
        if (rc == 0) {
            return new Outcome(EventStatus.DONE, 0, null, null, took);
        }
        String errorType = spec instanceof WorkloadSpec.K6 ? K6Results.errorType(rc) : "nonzero_exit";
        return new Outcome(EventStatus.FAILED, rc, errorType, "exit code " + rc, took);
    }

    private int waitOrStop(Process process, Instant start) throws InterruptedException {
        while (!process.waitFor(settings.stopPoll().toMillis(), TimeUnit.MILLISECONDS)) {
            StopRequest r = pendingStop(start);
            if (r != null) {
                log.info("stopping the workload: {}", r.reason());
                ProcessTree.terminate(process, settings.grace());
                break;
            }
        }
        return process.waitFor();
    }

    /** For a hook: why it must end now, or null. */
    private String pendingStopReason(Instant start) {
        StopRequest r;
        try {
            r = pendingStop(start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "the agent was interrupted";
        }
        return r == null ? null : "the repetition was " + (r.status() == EventStatus.TIMEOUT ? "timed out" : "stopped")
                + " (" + r.reason() + ")";
    }

    /**
     * Looks for what ends a repetition (a stream that cannot be written, a STOP file, the time-out counted from the
     * repetition's start) and records the first; the request made so far, or null.
     */
    private StopRequest pendingStop(Instant start) throws InterruptedException {
        StreamWriteFailure streamFailure = emitter.streamFailure();
        if (streamFailure != null) {
            logStreamFailure(streamFailure);
            request(StopRequest.streamFailed(streamFailure));
        }
        if (stop.get() == null && Files.exists(settings.stopFile())) {
            request(StopFile.read(settings.stopFile(), STOP_FILE_SETTLE));
        }
        Duration elapsed = Duration.between(start, clock.instant());
        if (settings.timeout() != null && elapsed.compareTo(settings.timeout()) > 0) {
            ObjectNode context = NODES.objectNode().put("limit_s", seconds(settings.timeout()))
                    .put("elapsed_s", seconds(elapsed));
            request(StopRequest.timeout("workload_timeout", "workload time limit of "
                    + seconds(settings.timeout()).toPlainString() + " s reached after "
                    + seconds(elapsed).toPlainString() + " s", context));
        }
        return stop.get();
    }

    /**
     * Stops every process still carrying the repetition's marker once the workload has exited, naming each in a
     * WARNING event with its pid and command: a daemon it started is part of what was measured, and left running it
     * would weigh on the next repetition.
     */
    private void stopEscaped(MarkedProcesses marked, Duration grace) throws InterruptedException {
        MarkedProcesses.Sweep sweep;
        try {
            sweep = marked.stopAll(grace);
        } catch (IOException e) {
            log.error("cannot look through /proc for processes the workload left running: {}", e.toString());
            return;
        }
        // Unreadable environs are routine (a container's init, setuid programs are not dumpable even for their own
        // user) and the same in every repetition: a warning each time would bury the real ones. docs/agent.md says
        // such processes are not checked.
        sweep.problems().stream().distinct().forEach(p -> log.debug("looking for processes the workload left"
                + " running: {}", p));
        for (MarkedProcesses.Found f : sweep.stopped()) {
            escapedProcesses++;
            boolean survived = sweep.survivors().stream().anyMatch(s -> s.pid() == f.pid());
            emitter.emit(SRC, EventStatus.RUNNING, b -> b.type(EventType.LOG)
                    .level(survived ? EventLevel.ERROR : EventLevel.WARNING)
                    .message((survived ? "a process the workload left running survived KILL: pid " : "stopped a"
                            + " process the workload left running: pid ") + f.pid() + ": " + f.command())
                    .extra("pid", NODES.numberNode(f.pid())).extra("command", NODES.textNode(f.command())));
        }
    }

    private static boolean anyMarked(MarkedProcesses marked) {
        try {
            return !marked.find(new ArrayList<>()).isEmpty();
        } catch (IOException e) {
            log.warn("cannot look through /proc for the workload's processes: {}", e.toString());
            return true; // unknown: treated as children left running, which is then checked by stopping them
        }
    }

    private static boolean groupIsEmpty(long pgid) {
        try {
            return ProcessTree.groupMembers(pgid).isEmpty();
        } catch (java.io.IOException e) {
            log.warn("cannot read the workload's process group {} from /proc: {}", pgid, e.toString());
            return false; // unknown: treated as children left running, which is then checked by stopping them
        }
    }

    /**
     * The workload has exited; its pipes close once every process holding them has too. Children it left behind
     * still holding them belong to the workload, so its process group is stopped as well.
     */
    private void drain(Process process, OutputPump out, OutputPump err, Optional<WorkloadGroup> group,
                       MarkedProcesses marked) throws InterruptedException {
        if (out.awaitEnd(2, TimeUnit.SECONDS) && err.awaitEnd(2, TimeUnit.SECONDS)) {
            return;
        }
        // Still reading. While lines keep coming (a cold JVM or a loaded machine turning a burst into events), or
        // nobody is left in the workload's group to hold the pipes, the pumps are only behind: waiting is right and
        // a warning would be false. Only a pipe that stays open with nothing coming is held by children.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long seen = out.events().lines() + err.events().lines();
        while (System.nanoTime() < deadline) {
            if (out.awaitEnd(1, TimeUnit.SECONDS) && err.awaitEnd(1, TimeUnit.SECONDS)) {
                return;
            }
            long now = out.events().lines() + err.events().lines();
            boolean flowing = now > seen;
            seen = now;
            boolean nobodyLeft = group.isPresent() && groupIsEmpty(group.get().pgid()) && !anyMarked(marked);
            if (!flowing && !nobodyLeft) {
                break;
            }
        }
        log.warn("the workload exited but its output is still open (children left running); stopping them");
        ProcessTree.terminate(process, settings.grace());
        stopEscaped(marked, settings.grace()); // children that left its group hold the output too
        if (!out.awaitEnd(5, TimeUnit.SECONDS) || !err.awaitEnd(5, TimeUnit.SECONDS)) {
            log.error("the workload's output is still open after stopping its process group; lines written after"
                    + " this point are not reported");
        }
    }

    /** A duration in seconds, as short as exact: 1, 0.5, 1.002. */
    private static BigDecimal seconds(Duration d) {
        BigDecimal s = BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0, RoundingMode.UNNECESSARY) : s;
    }

    /** Failed before the workload ran; the final event carries the reason, so it is not logged a second time. */
    private Outcome failure(Instant start, String errorType, String reason) {
        return new Outcome(EventStatus.FAILED, null, errorType, reason, Duration.between(start, clock.instant()));
    }

    private void finish(Outcome o, ObjectNode errorContext) {
        BigDecimal seconds = BigDecimal.valueOf(o.duration().toMillis(), 3).setScale(3, RoundingMode.UNNECESSARY);
        String message = switch (o.status()) {
            case DONE -> "rc=0 duration=" + seconds + "s";
            case STOPPED -> "stopped (" + o.reason() + ") after " + seconds + "s";
            case TIMEOUT -> "timed out (" + o.reason() + "); stopped after " + seconds + "s";
            case SKIPPED -> "skipped (" + o.reason() + ")";
            default -> o.reason() + " after " + seconds + "s";
        };
        boolean error = o.status() == EventStatus.FAILED || o.status() == EventStatus.TIMEOUT;
        if (o.status() == EventStatus.FAILED) {
            errorContext.put("duration_s", seconds);
            if (o.rc() != null) {
                errorContext.put("rc", o.rc());
            }
        }
        ObjectNode seal = emitter.emitFinal(SRC, o.status(), b -> {
            b.message(message).level(error ? EventLevel.ERROR : EventLevel.INFO);
            if (error) {
                b.error(o.errorType(), errorContext);
            }
            if (o.rc() != null) {
                b.extra("rc", NODES.numberNode(o.rc()));
            }
            b.extra("duration_s", NODES.numberNode(seconds));
            if (escapedProcesses > 0) {
                b.extra("escaped_processes", NODES.numberNode(escapedProcesses));
            }
            if (stabilityJson != null) {
                b.extra("stability", stabilityJson);
            }
        });
        Consumer<Outcome> sealed = onSealed;
        if (sealed != null) {
            sealed.accept(o);
        }
        ObjectNode status = Json.MAPPER.createObjectNode();
        if (o.rc() == null) {
            status.putNull("rc");
        } else {
            status.put("rc", o.rc());
        }
        status.put("status", o.status().wireName());
        if (o.errorType() != null) {
            status.put("error_type", o.errorType());
        }
        if (o.status() == EventStatus.TIMEOUT && errorContext != null) {
            status.set("error_context", errorContext);
        }
        if (o.reason() != null) {
            status.put("reason", o.reason());
        }
        status.put("duration_s", seconds);
        if (escapedProcesses > 0) {
            status.put("escaped_processes", escapedProcesses);
        }
        status.put("events", emitter.stream().events());
        status.set("last_seq", Json.MAPPER.valueToTree(emitter.lastSeqBySrc()));
        status.set("seal", seal);
        StreamWriteFailure streamFailure = emitter.streamFailure();
        if (streamFailure != null) {
            status.put("events_written", streamFailure.eventsWritten());
            status.set("stream_failure", streamFailure.toJson());
        }
        if (emitter.failure() != null) {
            if (streamFailure == null) { // a stream failure's reason is already the status's reason
                status.put("stream_error", emitter.failure().toString());
            }
            status.put("failed_writes", emitter.failedWrites());
        }
        try {
            statusFile.write(status, emitter.stream());
        } catch (IOException e) {
            log.error("cannot write the status file in {}: {}", settings.runDir(), e.toString());
        }
    }
}

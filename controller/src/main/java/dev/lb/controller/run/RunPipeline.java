package dev.lb.controller.run;

import dev.lb.protocol.WorkloadPlan;
import dev.lb.controller.ansible.AnsibleFiles;
import dev.lb.controller.ansible.AnsibleProcess;
import dev.lb.controller.ansible.OwnPriority;
import dev.lb.controller.ansible.AnsibleProgress;
import dev.lb.controller.ansible.Installation;
import dev.lb.controller.ansible.Playbooks;
import dev.lb.controller.config.RunConfig;
import dev.lb.controller.config.SharedMachines;
import dev.lb.controller.ingest.Attribution;
import dev.lb.controller.ingest.Deduplicator;
import dev.lb.controller.ingest.Ingest;
import dev.lb.controller.ingest.Journal;
import dev.lb.controller.ingest.JsonlTailer;
import dev.lb.controller.ingest.StdoutFeed;
import dev.lb.controller.export.ExportStage;
import dev.lb.controller.listener.RunListener;
import dev.lb.controller.listener.RunListeners;
import dev.lb.controller.state.RunInfo;
import dev.lb.controller.state.RunState;
import dev.lb.controller.state.RunSummary;
import dev.lb.controller.state.SummaryFile;
import dev.lb.protocol.LbEventExtractor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One run, assembled in order: launch ansible-playbook → extract (stdout) and tail (JSONL) → validate →
 * de-duplicate → journal → view and export. Then finish the targets (stop leftovers, collect their stream files), recover
 * from those files what no live path delivered, check every repetition against its seal and write the summary.
 */
public final class RunPipeline {
    public static final String EVENTS_FILE = Playbooks.EVENTS_FILE;
    public static final String RAW_LOG = "ansible.log";
    public static final String SUMMARY_FILE = "summary.json";
    static final String STOP_REQUESTED = "STOP_REQUESTED";
    static final int MAX_LINE_BYTES = 8 * 1024 * 1024;

    private final Installation install;
    private final Path ansiblePlaybook;
    private final StopSignal stop;
    private final Clock clock;

    public RunPipeline(Installation install, Path ansiblePlaybook, StopSignal stop, Clock clock) {
        this.install = install;
        this.ansiblePlaybook = ansiblePlaybook;
        this.stop = stop;
        this.clock = clock;
    }

    /** Runs to the end and returns the summary; {@code views} builds the view once the run is known. */
    public RunSummary run(RunConfig config, Function<RunInfo, RunListener> views)
            throws IOException, InterruptedException {
        RunDirectory.checkUsable(config.outputDir());
        RunDirRoom room = RunDirRoom.of(config);
        if (room.belowFloor()) {
            throw new NotEnoughRoom(room.refusal(config.outputDir()));
        }
        String runId = config.runId() != null ? config.runId() : RunDirectory.newRunId(clock);
        Path runDir = RunDirectory.create(config.outputDir(), runId).toAbsolutePath();
        try (RunLock lock = RunLock.acquire(runDir)) {
            return run(config, views, runId, runDir, room);
        }
    }

    /** The run directory's disk is below the floor: the run is refused before anything starts. */
    public static final class NotEnoughRoom extends IOException {
        NotEnoughRoom(String message) {
            super(message);
        }
    }

    /** Room kept for summary.json: enough for the rows and the capped lists of a large run. */
    static int summaryBudget(int hosts, int workloads, int repetitions) {
        return (int) Math.min(8L << 20, (256L << 10) + 512L * hosts * workloads * repetitions);
    }

    private RunSummary run(RunConfig config, Function<RunInfo, RunListener> views, String runId, Path runDir,
                           RunDirRoom room) throws IOException, InterruptedException {
        String attempt = RunDirectory.newAttempt();
        AnsibleFiles.Written files = AnsibleFiles.write(config, runId, attempt, runDir, install);
        SummaryFile.reserve(runDir.resolve(SUMMARY_FILE), summaryBudget(files.hosts().size(), config.workloads().size(),
                config.totalRepetitions()));
        List<String> workloads = config.workloads().stream().map(WorkloadPlan::name).toList();
        RunInfo info = new RunInfo(runId, config.name(), runDir, files.hosts(), workloads, config.totalRepetitions(),
                clock.millis());
        new RunRecord(runId, config.name(), attempt, info.startedMillis(), files.hosts(), workloads,
                config.totalRepetitions(), files.inventory().toString(), files.vars().toString(),
                config.targets().testTargets(), config.limit() == null ? null : config.limit().pattern()).write(runDir);
        RunListener shown = views.apply(info);
        // The export stage hears what the view hears; its warnings are the view's notices.
        ExportStage export = ExportStage.start(config.export(), config.name(), workloads, shown::notice);
        RunListener view = export == null ? shown : RunListeners.both(shown, export);

        RunState state = new RunState(files.hosts(), workloads, config.totalRepetitions());
        Ingest ingest = new Ingest(new Deduplicator(200_000), Journal.create(runDir), state, view,
                Attribution.of(runId, files.hosts(), workloads, config.totalRepetitions()));
        Playbooks playbooks = new Playbooks(install, ansiblePlaybook, files.inventory(), files.vars(), runDir,
                config.targets().testTargets(), files.limitArgs());
        List<List<String>> groups = Slicing.split(files.hosts(), Slicing.count(config.slices(), files.hosts().size(),
                Runtime.getRuntime().availableProcessors()));
        // One progress tracker for every slice: its hosts are disjoint, and the view shows one progress line.
        AnsibleProgress progress = new AnsibleProgress();
        List<LivePaths.Slice> slices = new ArrayList<>();
        List<Playbooks> slicePlaybooks = new ArrayList<>();
        List<JsonlTailer> runLevel = new ArrayList<>();
        for (int k = 1; k <= groups.size(); k++) {
            RunLayout.LiveFiles lf = groups.size() == 1 ? RunLayout.single(runDir) : RunLayout.slice(runDir, k);
            if (lf.hostsFile() != null) {
                Files.createDirectories(lf.hostsFile().getParent());
                Files.write(lf.hostsFile(), groups.get(k - 1), StandardCharsets.UTF_8);
            }
            JsonlTailer jsonl = new JsonlTailer(lf.events(), lf.eventsName(), MAX_LINE_BYTES, ingest, view);
            // Unbuffered: ansible.log is on disk chunk by chunk, whatever happens to this process.
            StdoutFeed stdout = new StdoutFeed(Files.newOutputStream(lf.rawLog()), lf.rawLogName(), MAX_LINE_BYTES,
                    new LbEventExtractor(MAX_LINE_BYTES), ingest, progress, view);
            slices.add(new LivePaths.Slice(lf, groups.get(k - 1), stdout, jsonl));
            slicePlaybooks.add(lf.hostsFile() == null ? playbooks
                    : playbooks.forSlice(lf.events(), List.of("--limit", "@" + lf.hostsFile())));
        }
        if (groups.size() > 1) {
            // stop.yml and finish.yml deliver no events, but their callback's records are read like every other.
            runLevel.add(new JsonlTailer(runDir.resolve(EVENTS_FILE), EVENTS_FILE, MAX_LINE_BYTES, ingest, view));
        }
        LivePaths live = new LivePaths(slices, runLevel);
        ingest.start();
        live.start();
        view.started(info);
        if (groups.size() > 1) {
            for (LivePaths.Slice sl : slices) {
                view.notice(sl.files().label() + ": " + String.join(", ", sl.hosts()) + " (its own ansible-playbook,"
                        + " " + sl.files().rawLogName() + ")");
            }
        }
        if (config.limit() != null) {
            view.notice(config.limit().describe());
            config.limit().warnings().forEach(w -> view.notice("warning: --limit: " + w));
        }
        SharedMachines.warnings(config.targets().hosts().stream().filter(h -> files.hosts().contains(h.name())).toList())
                .forEach(w -> view.notice("warning: " + w));
        if (room.tight()) {
            view.notice("warning: little room for the run: " + room.describe(config.outputDir()));
        }
        OwnPriority priority = OwnPriority.decide(config);
        if (priority.why() != null) {
            String problem = priority.apply();
            view.notice(problem == null ? priority.why() : "warning: lb could not get out of the workload's way on"
                    + " this machine (" + problem + "); it competes with the workload as usual");
        }
        boolean finished = false;
        try {
            List<AnsibleProcess> started = new ArrayList<>();
            for (int i = 0; i < slices.size(); i++) {
                started.add(slicePlaybooks.get(i).start("run_benchmark.yml", slices.get(i).stdout()));
            }
            PlaybookGroup ansible = new PlaybookGroup(started, live, view);
            Ending ending = awaitEnd(ansible, config, playbooks, ingest, view, runDir, progress);
            RunEnd end = new RunEnd(runId, config.name(), info.startedMillis(), runDir, files.hosts(), workloads,
                    config.totalRepetitions(), ingest, live, view, clock, config.targets().hosts().stream()
                    .filter(h -> "local".equals(h.connection())).map(RunConfig.Host::name).toList(), export);
            RunSummary summary = ending.atOnce() ? end.unfinished(ending)
                    : end.finish(ending, playbooks, stop, Duration.ofMinutes(10), true);
            finished = true;
            return summary;
        } finally {
            if (!finished && export != null) {
                export.abandon();
            }
            if (!finished) {
                // Whatever went wrong, the view ends (the terminal is restored) and says how to finish the run.
                view.notice("the run ended on an error; `lb recover " + runId + "` finishes it");
                view.finished(RunSummary.empty(runId, config.name(), "failed (see the error below)", state.snapshot()));
            }
        }
    }

    /**
     * How the playbook ended: its exit code (null if it had to be killed), whether the user or a time-out did it,
     * and whether the run was ended at once (a second Ctrl-C, a dead pump or ingest), leaving the targets uncollected.
     */
    record Ending(Integer ansibleExitCode, boolean interrupted, boolean timedOut, String reason, boolean atOnce,
                  String outputFailure) {
        Ending(Integer ansibleExitCode, boolean interrupted, boolean timedOut, String reason, boolean atOnce) {
            this(ansibleExitCode, interrupted, timedOut, reason, atOnce, null);
        }
    }

    private Ending awaitEnd(PlaybookGroup ansible, RunConfig config, Playbooks playbooks, Ingest ingest,
                            RunListener view, Path runDir, AnsibleProgress progress) throws InterruptedException {
        long runDeadline = System.nanoTime() + (long) (config.timeouts().runS() * 1e9);
        StopGrace grace = new StopGrace(config.timeouts().stopGraceS());
        int handledRequests = 0;
        boolean timedOut = false;
        boolean endedByUs = false;
        Watchdog watchdog = new Watchdog(config.timeouts());
        String stuck = null;
        while (true) {
            Integer rc = ansible.waitFor(Duration.ofMillis(100));
            if (rc != null) {
                // A pump that failed at the very end: the other path and the recovery still carry the events.
                String outputFailure = ansible.failure() == null ? null
                        : "reading ansible-playbook's output failed: " + ansible.failure().getMessage();
                if (outputFailure != null) {
                    view.notice(outputFailure + "; the stream files are recovered after the run");
                }
                String reason = stop.requests() > 0 ? stop.reason()
                        : timedOut ? "run time-out after " + (long) config.timeouts().runS() + " s"
                        : stuck != null ? stuck
                        : endedByUs ? null : ansible.died();
                if (reason != null && stop.requests() == 0 && !timedOut) {
                    view.notice(reason + "; the targets are still finished and collected");
                }
                return new Ending(rc, stop.requests() > 0, timedOut, reason, false, outputFailure);
            }
            Throwable broken = ansible.failure() != null ? ansible.failure() : ingest.failure();
            if (broken != null) {
                view.notice("the run cannot go on: " + broken.getMessage() + "; ending ansible-playbook");
                ansible.endNow(Duration.ofSeconds(2));
                return new Ending(null, false, false, "the run could not go on: " + broken.getMessage(), true);
            }
            int requests = stop.requests();
            if (requests > handledRequests) {
                handledRequests = requests;
                if (requests == 1) {
                    view.notice(stoppingNotice(stop.reason(), config.timeouts().stopGraceS()));
                    grace.sent(System.nanoTime(), sendStop(playbooks, runDir, stop.reason(), view));
                } else {
                    view.notice("ending now: ansible-playbook and everything it started are being killed");
                    ansible.killNow();
                    return new Ending(null, true, timedOut, stop.reason() + ", then ended at once", true);
                }
            }
            if (grace.over(System.nanoTime())) {
                view.notice("the targets did not finish within the grace period; ending ansible-playbook");
                endedByUs = true;
                ansible.endNow(Duration.ofSeconds(2));
                grace.clear();
            }
            if (stuck == null && !timedOut && stop.requests() == 0) {
                Watchdog.Verdict v = watchdog.check(progress.polling(), System.currentTimeMillis());
                v.notices().forEach(view::notice);
                if (v.endReason() != null) {
                    stuck = v.endReason();
                    grace.sent(System.nanoTime(), sendStop(playbooks, runDir, stuck, view));
                }
            }
            if (!timedOut && System.nanoTime() > runDeadline) {
                timedOut = true;
                view.notice("run time-out after " + (long) config.timeouts().runS() + " s: stopping");
                grace.sent(System.nanoTime(), sendStop(playbooks, runDir, "run time-out after "
                        + (long) config.timeouts().runS() + " s", view));
            }
        }
    }

    /**
     * What a first stop request says: STOP is on its way (stop.yml has yet to start and reach the targets), not
     * there yet.
     */
    static String stoppingNotice(String reason, double graceS) {
        return "stopping (" + reason + "): sending STOP to every target (stop.yml); waiting up to " + (long) graceS
                + " s once it is there for the agents to report; press Ctrl-C again to end at once";
    }

    /**
     * stop.yml as a second ansible-playbook, in the background: it touches STOP (and RUN_STOP) on every target. The
     * stop is also marked in the run directory (STOP_REQUESTED), where the benchmark playbook looks before it starts
     * a repetition: a host still in setup has no target directory for stop.yml to mark yet. Returns whether stop.yml
     * has ended, asked without waiting; null when it could not start.
     */
    private static java.util.function.BooleanSupplier sendStop(Playbooks playbooks, Path runDir, String reason,
                                                                RunListener view) {
        try {
            Files.writeString(runDir.resolve(STOP_REQUESTED), reason + "\n");
        } catch (IOException e) {
            view.notice("cannot mark the stop in " + runDir + " (" + e.getMessage() + "); a host still in setup may"
                    + " start its first repetition, which STOP then ends");
        }
        try {
            AnsibleProcess stopYml = playbooks.startLogged("stop.yml", "stop.log");
            return () -> {
                try {
                    return stopYml.waitFor(Duration.ZERO) != null;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return true; // being interrupted ends the wait: the grace counts from here
                }
            };
        } catch (IOException e) {
            view.notice("cannot run stop.yml (" + e.getMessage() + "); the grace period ends ansible-playbook instead");
            return null;
        }
    }

    static boolean drained(Ingest ingest, RunListener view) throws InterruptedException, IOException {
        if (!ingest.finish(60, TimeUnit.SECONDS)) {
            view.notice("ingest did not catch up within 60 s; the summary may undercount");
            return false;
        }
        return true;
    }
}

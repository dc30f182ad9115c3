package dev.lb.controller.run;

import dev.lb.controller.ansible.AnsibleProcess;
import dev.lb.controller.ansible.Playbooks;
import dev.lb.controller.export.ExportStage;
import dev.lb.controller.ingest.Ingest;
import dev.lb.controller.ingest.StreamRecovery;
import dev.lb.controller.listener.RunListener;
import dev.lb.controller.state.Completeness;
import dev.lb.controller.state.RunSummary;
import dev.lb.controller.state.SummaryFile;
import dev.lb.controller.system.SystemFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The end of a run, shared by {@code lb run} and {@code lb recover}: finish the targets (finish.yml stops what
 * still runs and collects every host's run files, hosts whose tasks failed included), close the live paths, read
 * the collected stream files as the third path, check every repetition against its seal, write summary.json.
 * A run ended at once writes what it knows, marked unfinished: it stays unfinished until {@code lb recover}.
 */
final class RunEnd {
    static final String FINISH_LOG = "finish.log";

    private final String runId;
    private final String config;
    private final long startedMillis;
    private final Path runDir;
    private final List<String> hosts;
    private final List<String> workloads;
    private final int repetitions;
    private final Ingest ingest;
    private final LivePaths live;
    private final RunListener view;
    private final Clock clock;
    private final List<String> localHosts;
    private final ExportStage export;

    /** @param export the run's export stage, null when nothing is exported (and for lb recover) */
    RunEnd(String runId, String config, long startedMillis, Path runDir, List<String> hosts, List<String> workloads,
           int repetitions, Ingest ingest, LivePaths live, RunListener view, Clock clock,
           List<String> localHosts, ExportStage export) {
        this.localHosts = localHosts;
        this.export = export;
        this.runId = runId;
        this.config = config;
        this.startedMillis = startedMillis;
        this.runDir = runDir;
        this.hosts = hosts;
        this.workloads = workloads;
        this.repetitions = repetitions;
        this.ingest = ingest;
        this.live = live;
        this.view = view;
        this.clock = clock;
    }

    /**
     * @param onlyUncollected finish only the hosts the benchmark playbook's own finish play did not collect (lb run);
     *                        false: every host (lb recover: the targets may still be running)
     */
    RunSummary finish(RunPipeline.Ending ending, Playbooks playbooks, StopSignal stop, Duration bound,
                      boolean onlyUncollected) throws IOException, InterruptedException {
        int requestsBefore = stop == null ? 0 : stop.requests();
        List<String> toFinish = onlyUncollected ? hosts.stream()
                .filter(h -> !Files.isRegularFile(runDir.resolve("artifacts").resolve(h).resolve(StreamRecovery.MANIFEST)))
                .toList() : hosts;
        String notCollected = "its collect did not finish; see " + FINISH_LOG;
        if (!toFinish.isEmpty()) {
            view.notice("finishing " + (toFinish.size() == hosts.size() ? "the targets" : String.join(", ", toFinish))
                    + ": stopping what still runs, collecting their stream files (finish.yml)");
            notCollected = collect(playbooks, stop, requestsBefore, bound, List.of("--limit", limit(toFinish)))
                    + noRoom();
        }
        boolean collectEnded = stop != null && stop.requests() > requestsBefore;
        if (collectEnded && !ending.interrupted()) {
            // What ended the run first (ansible-playbook's death, a time-out) stays said: the Ctrl-C came after it.
            ending = new RunPipeline.Ending(ending.ansibleExitCode(), true, ending.timedOut(), (ending.reason() == null
                    ? "" : ending.reason() + "; then ") + stop.reason() + " while the targets were being collected",
                    false, ending.outputFailure());
        }
        closeLivePaths();
        StreamRecovery.Result recovery = StreamRecovery.recover(runDir.resolve("artifacts"), hosts, ingest,
                RunPipeline.MAX_LINE_BYTES, notCollected);
        boolean caughtUp = RunPipeline.drained(ingest, view);
        // Only a complete ingest can be checked: with events still queued, a repetition would look never started.
        Completeness completeness = caughtUp ? CompletenessCheck.check(runId, hosts, workloads, repetitions,
                ingest.state(), ingest.dedupe(), recovery.uncollected())
                : Completeness.unknown("ingest did not catch up within 60 s: events may be missing from the journal");
        RunSummary verdict = RunVerdict.build(runId, config, startedMillis, clock.millis(), ending, ingest, live,
                recovery, completeness, localHosts);
        // A collect ended by Ctrl-C leaves hosts uncollected: what they still hold is for lb recover, as after a run
        // ended at once, and nothing may take the run for a finished one until then.
        boolean unfinished = collectEnded && !recovery.uncollected().isEmpty();
        RunSummary summary = exported(unfinished ? verdict.asUnfinished() : verdict);
        writeSystems();
        write(summary);
        if (unfinished) {
            view.notice("the run is unfinished: " + String.join(", ", recovery.uncollected().keySet()) + " not"
                    + " collected; `lb recover " + runId + "` stops what still runs on the targets, collects their"
                    + " stream files and journals every event not journalled yet");
        }
        view.finished(summary);
        return summary;
    }

    /** Ended at once: nothing collected, no summary.json; the user is told how to finish the run. */
    RunSummary unfinished(RunPipeline.Ending ending) throws IOException, InterruptedException {
        closeLivePaths();
        RunPipeline.drained(ingest, view);
        Completeness completeness = Completeness.unknown("the run was ended at once, before the targets' stream files"
                + " were collected; `lb recover " + runId + "` collects them and finishes the run");
        RunSummary summary = exported(RunVerdict.build(runId, config, startedMillis, clock.millis(), ending, ingest,
                live, new StreamRecovery.Result(Map.of(), 0, 0, List.of(), List.of()), completeness, localHosts)
                .asUnfinished());
        write(summary);
        view.notice("the run is unfinished: `lb recover " + runId + "` stops what still runs on the targets,"
                + " collects their stream files and journals every event not journalled yet");
        view.finished(summary);
        return summary;
    }

    /**
     * Every event is journalled and heard by the export stage by now: it pushes the statistics, flushes within its
     * time limit and gives its accounts to the summary. The verdict and exit code are already decided: an export
     * never changes them.
     */
    private RunSummary exported(RunSummary summary) throws InterruptedException {
        if (export == null) {
            return summary;
        }
        List<RunSummary.Export> accounts = export.finish(summary.exitCode() == 0 && !summary.isUnfinished(),
                summary.endedAt());
        for (RunSummary.Export a : accounts) {
            if (a.dropped() > 0) {
                view.notice("warning: export " + a.describe() + "; `lb export " + runId + " --to " + a.kind() + "="
                        + a.url() + "` sends the run again once the endpoint is back");
            }
        }
        return summary.withExports(accounts);
    }

    /** system/<host>.json from each host's system event; the journal holds them whatever happens here. */
    private void writeSystems() {
        try {
            SystemFiles.write(runDir, ingest.state().systems());
        } catch (IOException e) {
            view.notice("the system information could not be written to " + runDir.resolve(SystemFiles.DIR) + " ("
                    + e.getMessage() + "); it is in the journal, and lb results carries it in results.json");
        }
    }

    private void write(RunSummary summary) {
        try {
            SummaryFile.write(runDir.resolve(RunPipeline.SUMMARY_FILE), summary);
        } catch (IOException e) {
            // The counts must survive a full disk: they are on the terminal even when the file cannot be written.
            view.notice("summary.json could not be written (" + e.getMessage() + "); the summary below is the only"
                    + " record of this run's counts, and lb doctor will call the run unfinished");
        }
    }

    /** Runs finish.yml; returns the reason to give for a host it did not collect. A Ctrl-C ends it at once. */
    private String collect(Playbooks playbooks, StopSignal stop, int requestsBefore, Duration bound,
                           List<String> extraArgs) throws IOException, InterruptedException {
        AnsibleProcess finish = playbooks.startLogged("finish.yml", FINISH_LOG, extraArgs);
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            Integer rc = finish.waitFor(Duration.ofMillis(100));
            if (rc != null) {
                return rc == 0 ? "its collect did not finish; see " + FINISH_LOG
                        : "finish.yml failed for it (exit " + rc + "; unreachable, or a task failed); see " + FINISH_LOG;
            }
            if (stop != null && stop.requests() > requestsBefore) {
                view.notice("ending finish.yml now: the targets are not collected; `lb recover " + runId
                        + "` collects them later");
                finish.killNow();
                return "finish.yml was ended (Ctrl-C) before it collected this host";
            }
            if (System.nanoTime() > deadline) {
                view.notice("finish.yml did not end within " + bound.toMinutes() + " min; ending it");
                finish.endNow(Duration.ofSeconds(2));
                return "finish.yml did not end within " + bound.toMinutes() + " min";
            }
        }
    }

    private void closeLivePaths() throws IOException, InterruptedException {
        live.close();
    }

    /** Why a collect may have failed that finish.log cannot say once the disk is full: the run directory's room. */
    private String noRoom() {
        try {
            long free = Files.getFileStore(runDir).getUsableSpace();
            return free < RunDirRoom.FLOOR_BYTES ? " (the run directory's disk is full: " + RunDirRoom.mib(free)
                    + " free; free some space, then `lb recover " + runId + "` collects it)" : "";
        } catch (IOException e) {
            return " (the free space of the run directory cannot be read: " + e.getMessage() + ")";
        }
    }

    /**
     * The hosts to finish as an Ansible limit: a file in the run directory (no length limit on argv), or the names
     * themselves when the disk has no room for even that file (inventory names hold no pattern characters).
     */
    private String limit(List<String> toFinish) {
        Path file = runDir.resolve("finish-hosts.txt");
        try {
            Files.write(file, toFinish);
            return "@" + file;
        } catch (IOException e) {
            return String.join(",", toFinish);
        }
    }
}

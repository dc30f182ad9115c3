package dev.lb.controller.run;

import dev.lb.controller.ansible.Installation;
import dev.lb.controller.ansible.Playbooks;
import dev.lb.controller.ingest.Attribution;
import dev.lb.controller.ingest.Deduplicator;
import dev.lb.controller.ingest.Ingest;
import dev.lb.controller.ingest.Journal;
import dev.lb.controller.ingest.JsonlTailer;
import dev.lb.controller.listener.RunListener;
import dev.lb.controller.state.RunInfo;
import dev.lb.controller.state.RunState;
import dev.lb.controller.state.RunSummary;
import dev.lb.controller.ingest.LineExtractor;
import dev.lb.controller.listener.DeliveryPath;
import dev.lb.protocol.LbEventExtractor;
import dev.lb.protocol.LineSplitter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * {@code lb recover}: finishes a run whose controller ended before it could (killed, or a second Ctrl-C). The
 * journal is read back first (what it holds counts, nothing is journalled twice); the callback's JSONL file is read
 * again (events it holds that never reached the journal come in by that path); then the run ends as every run
 * does ({@link RunEnd}): finish.yml against the run's saved inventory stops what still runs and collects the stream
 * files, and every event not journalled yet is recovered from them. The targets' saved offsets play no part: an event
 * counts as delivered when it is in the journal.
 */
public final class RecoverPipeline {
    private final Installation install;
    private final Path ansiblePlaybook;
    private final StopSignal stop;
    private final Clock clock;

    public RecoverPipeline(Installation install, Path ansiblePlaybook, StopSignal stop, Clock clock) {
        this.install = install;
        this.ansiblePlaybook = ansiblePlaybook;
        this.stop = stop;
        this.clock = clock;
    }

    /**
     * The callback's JSONL files of the run, read again, either layout: events.jsonl, or each slice's (with the
     * top-level events.jsonl of the run-level playbooks, when there is one). Nothing reads stdout any more.
     */
    private static LivePaths livePaths(Path runDir, RunRecord run, Ingest ingest, RunListener view) throws IOException {
        java.util.List<LivePaths.Slice> slices = new java.util.ArrayList<>();
        for (RunLayout.LiveFiles lf : RunLayout.of(runDir)) {
            java.util.List<String> hosts = lf.slice() == 0 ? run.hosts() : RunLayout.hostsOf(lf);
            slices.add(new LivePaths.Slice(lf, hosts, null, new JsonlTailer(lf.events(), lf.eventsName(),
                    RunPipeline.MAX_LINE_BYTES, ingest, view)));
        }
        java.util.List<JsonlTailer> runLevel = RunLayout.sliced(runDir) && Files.exists(runDir.resolve(RunPipeline.EVENTS_FILE))
                ? java.util.List.of(new JsonlTailer(runDir.resolve(RunPipeline.EVENTS_FILE), RunPipeline.EVENTS_FILE,
                        RunPipeline.MAX_LINE_BYTES, ingest, view))
                : java.util.List.of();
        return new LivePaths(slices, runLevel);
    }

    /**
     * Each ansible-playbook's stdout as the controller read it (ansible.log is written byte for byte before a line is
     * read for events): an event the killed controller read there but had not journalled yet comes in by its live
     * path, stdout, and is not relabelled as recovered from a stream file. Nothing is shown: these lines were shown
     * by the run itself.
     */
    private static void replayStdout(Path runDir, Ingest ingest) throws IOException {
        for (RunLayout.LiveFiles lf : RunLayout.of(runDir)) {
            if (!Files.isRegularFile(lf.rawLog())) {
                continue;
            }
            LineExtractor lines = new LineExtractor(lf.rawLogName(), new LbEventExtractor(RunPipeline.MAX_LINE_BYTES),
                    ingest.forPath(DeliveryPath.STDOUT));
            LineSplitter splitter = new LineSplitter(RunPipeline.MAX_LINE_BYTES, lines);
            try (InputStream in = Files.newInputStream(lf.rawLog())) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    splitter.feed(buf, 0, n);
                }
            }
            splitter.finish();
        }
    }

    public RunSummary recover(Path runDir, Function<RunInfo, RunListener> views) throws IOException,
            InterruptedException {
        runDir = runDir.toAbsolutePath();
        try (RunLock lock = RunLock.acquire(runDir)) {
            return recoverLocked(runDir, views);
        }
    }

    private RunSummary recoverLocked(Path runDir, Function<RunInfo, RunListener> views) throws IOException,
            InterruptedException {
        RunRecord run = RunRecord.read(runDir);
        RunInfo info = new RunInfo(run.runId(), run.config() + " (recover)", runDir, run.hosts(), run.workloads(),
                run.repetitions(), run.startedMillis());
        RunListener view = views.apply(info);
        long[] torn = {0};
        Journal journal = Journal.openForAppend(runDir, torn);
        RunState state = new RunState(run.hosts(), run.workloads(), run.repetitions());
        Ingest ingest = new Ingest(new Deduplicator(200_000), journal, state, view,
                Attribution.of(run.runId(), run.hosts(), run.workloads(), run.repetitions()));
        ingest.start();
        view.started(info);
        if (torn[0] > 0) {
            view.notice("the journal ended in a torn record (" + torn[0] + " bytes, the controller died mid-write);"
                    + " it was cut off, and its event is recovered like any other");
        }
        long[] journalled = {0};
        long unreadable = JournalReplay.replay(runDir.resolve(Journal.FILE), null,
                new RunState(run.hosts(), run.workloads(), run.repetitions()), new RunListener() {
                    @Override
                    public void accepted(dev.lb.controller.listener.Sighting s, RunState ignored) {
                        journalled[0]++;
                        ingest.known(s);
                    }
                }, false, view::notice);
        view.notice("recovering run " + run.runId() + ": " + journalled[0] + " events already journalled"
                + (unreadable > 0 ? ", " + unreadable + " unreadable journal records" : ""));
        // Before the JSONL files: an event ansible.log holds came live by stdout, whatever the JSONL file says.
        replayStdout(runDir, ingest);
        LivePaths live = livePaths(runDir, run, ingest, view);
        live.start();
        Playbooks playbooks = new Playbooks(install, ansiblePlaybook, Path.of(run.inventory()), Path.of(run.vars()),
                runDir, run.testTargets());
        RunEnd end = new RunEnd(run.runId(), run.config(), run.startedMillis(), runDir, run.hosts(), run.workloads(),
                run.repetitions(), ingest, live, view, clock, List.of(), null); // run.json does not say which host is local
        RunPipeline.Ending ending = new RunPipeline.Ending(0, false, false,
                "recovered by lb recover after its controller ended", false);
        return end.finish(ending, playbooks, stop, Duration.ofMinutes(10), false);
    }
}

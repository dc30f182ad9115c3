package dev.lb.controller.run;

import dev.lb.controller.ExitCode;
import dev.lb.controller.ingest.Deduplicator;
import dev.lb.controller.ingest.DeliveryPath;
import dev.lb.controller.ingest.Ingest;
import dev.lb.controller.ingest.JsonlTailer;
import dev.lb.controller.state.RunSummary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the run summary and decides the exit code from what ingest saw. */
final class Summaries {
    private Summaries() {
    }

    static RunSummary build(String runId, String config, long startedMillis, long endedMillis,
                            RunPipeline.Ending ending, Ingest ingest, JsonlTailer jsonl, long stdoutLines) {
        Deduplicator d = ingest.dedupe();
        Map<String, Long> rejected = new LinkedHashMap<>();
        ingest.rejectedByReason().forEach((r, n) -> rejected.put(r.label(), n));
        List<RunSummary.GapRange> gaps = d.gaps().stream().map(g -> new RunSummary.GapRange(g.stream().host(),
                g.stream().workload(), g.stream().repetition(), g.stream().src(), g.from(), g.to())).toList();
        long accepted = d.onlyBy(DeliveryPath.STDOUT) + d.onlyBy(DeliveryPath.JSONL) + d.byBoth();
        RunSummary.Events events = new RunSummary.Events(accepted, d.onlyBy(DeliveryPath.STDOUT),
                d.onlyBy(DeliveryPath.JSONL), d.byBoth(), d.duplicates(), ingest.sightings(DeliveryPath.STDOUT),
                ingest.sightings(DeliveryPath.JSONL));
        RunSummary.Transport transport = new RunSummary.Transport(stdoutLines, jsonl.lines(), jsonl.readErrors(),
                jsonl.truncations(), jsonl.diagnostics(), jsonl.streamLinesSkipped(), jsonl.warnings(), jsonl.callbackEvents());

        boolean allDone = ingest.state().allDone();
        int exit;
        String outcome;
        String reason = ending.reason();
        if (ending.interrupted()) {
            exit = ExitCode.INTERRUPTED;
            outcome = "interrupted";
        } else if (allDone && Integer.valueOf(0).equals(ending.ansibleExitCode()) && ingest.journalFailure() == null) {
            exit = ExitCode.OK;
            outcome = "done";
        } else {
            exit = ExitCode.FAILED;
            outcome = ending.timedOut() ? "timed out" : "failed";
            if (reason == null) {
                reason = ingest.journalFailure() != null ? "the journal could not be written: " + ingest.journalFailure()
                        : !allDone ? "not every repetition finished done"
                        : "ansible-playbook exited with " + ending.ansibleExitCode();
            }
        }
        return new RunSummary(runId, config, outcome, exit, reason, startedMillis / 1000.0, endedMillis / 1000.0,
                ending.ansibleExitCode(), ingest.state().snapshot(), events, rejected, ingest.rejectedExamples(), gaps,
                transport);
    }
}

package dev.lb.controller.run;

import dev.lb.controller.ExitCode;
import dev.lb.controller.ingest.Deduplicator;
import dev.lb.controller.ingest.Ingest;
import dev.lb.controller.ingest.StreamRecovery;
import dev.lb.controller.listener.DeliveryPath;
import dev.lb.controller.state.Completeness;
import dev.lb.controller.state.RunState;
import dev.lb.controller.state.RunSummary;
import dev.lb.controller.system.SystemWarnings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the run summary and decides the exit code from what ingest saw and what the completeness check found,
 * one meaning per code: 130 interrupted (wins over all), 5 not run: a target held by another run, 3 events lost or completeness not shown (wins over 1), 1 a
 * repetition did not end done (failed, timed out, stopped, unreachable, skipped) or its result could not be parsed,
 * 0 all done and complete. A repetition the agent skipped because the earlier ones were stable (adaptive
 * repetitions) is not a failure.
 */
final class RunVerdict {
    private RunVerdict() {
    }

    static RunSummary build(String runId, String config, long startedMillis, long endedMillis,
                            RunPipeline.Ending ending, Ingest ingest, LivePaths live,
                            StreamRecovery.Result recovery, Completeness completeness, List<String> localHosts) {
        long stdoutLines = live.stdoutLines();
        Deduplicator d = ingest.dedupe();
        Map<String, Long> rejected = new LinkedHashMap<>();
        ingest.rejectedByReason().forEach((r, n) -> rejected.put(r.label(), n));
        List<RunSummary.GapRange> gaps = d.gaps().stream().map(g -> new RunSummary.GapRange(g.stream().host(),
                g.stream().workload(), g.stream().repetition(), g.stream().src(), g.from(), g.to())).toList();
        RunSummary.Events events = new RunSummary.Events(d.accepted(), d.onlyBy(DeliveryPath.STDOUT),
                d.onlyBy(DeliveryPath.JSONL), d.byBoth(), d.duplicates(), ingest.sightings(DeliveryPath.STDOUT),
                ingest.sightings(DeliveryPath.JSONL), d.recovered());
        List<String> jsonlWarnings = live.jsonlWarnings();
        List<String> warnings = new ArrayList<>(jsonlWarnings);
        warnings.addAll(recovery.readErrors());
        recovery.uncollected().forEach((host, why) -> warnings.add("the stream file of " + host
                + " was not collected: " + why));
        if (ending.outputFailure() != null) {
            warnings.add(ending.outputFailure());
        }
        warnings.addAll(live.stdoutWarnings(jsonlWarnings));
        RunSummary.Transport transport = new RunSummary.Transport(stdoutLines, live.jsonlLines(),
                live.jsonlReadErrors(), live.jsonlTruncations(), live.callbackDiagnostics(), live.streamLinesSkipped(),
                warnings, live.callbackEvents(), recovery.lines(), recovery.rejected(), recovery.rejectedExamples());

        RunSummary.JournalState journal = journalState(ingest);
        List<RunState.Row> rows = ingest.state().snapshot();
        String notDone = notDone(rows);
        Map<String, String> busy = ingest.state().busyHosts();
        int exit;
        String outcome;
        String reason = ending.reason();
        if (ending.interrupted()) {
            exit = ExitCode.INTERRUPTED;
            outcome = "interrupted";
            if (noneStarted(rows)) {
                reason = (reason == null ? "stopped" : reason) + "; stopped before the first repetition started";
            }
        } else if (journal.failed()) {
            exit = ExitCode.INCOMPLETE;
            outcome = "incomplete";
            reason = "the journal could not be written (" + journal.failure() + "): " + journal.notJournalled()
                    + " accepted events are not in it; `lb recover " + runId + "` journals them once there is room";
        } else if (!completeness.complete()) {
            exit = ExitCode.INCOMPLETE;
            outcome = "incomplete";
            reason = completeness.verdict().equals(Completeness.LOST)
                    ? completeness.lostEvents() + " events lost (see completeness)"
                    : "completeness cannot be shown (see completeness)";
        } else if (notDone != null && onlyBusyHosts(rows, busy)) {
            // Nothing of the benchmark failed: it did not run, since another run held a target.
            exit = ExitCode.NOT_RUN_BUSY;
            outcome = NOT_RUN_BUSY;
            Map.Entry<String, String> first = busy.entrySet().iterator().next();
            reason = "held by another run: " + first.getKey() + " (" + first.getValue() + ")"
                    + (busy.size() > 1 ? " and " + (busy.size() - 1) + " more host(s)" : "")
                    + "; nothing ran there (lb run --wait-for-targets SECONDS waits for it)";
        } else if (notDone != null) {
            exit = ExitCode.FAILED;
            outcome = ending.timedOut() ? "timed out" : "failed";
            reason = reason != null ? reason + "; " + notDone : notDone;
        } else if (!ingest.state().unparsedResults().isEmpty()) {
            exit = ExitCode.FAILED;
            outcome = "failed";
            String unparsed = unparsedResults(ingest.state().unparsedResults());
            reason = reason != null ? reason + "; " + unparsed : unparsed;
        } else if (!Integer.valueOf(0).equals(ending.ansibleExitCode())) {
            exit = ExitCode.FAILED;
            outcome = "failed";
            if (reason == null) {
                String slice = live.firstFailedSlice();
                reason = slice != null ? slice : "ansible-playbook exited with " + ending.ansibleExitCode();
            }
        } else {
            exit = ExitCode.OK;
            outcome = "done";
        }
        return new RunSummary(runId, config, outcome, exit, reason, startedMillis / 1000.0, endedMillis / 1000.0,
                ending.ansibleExitCode(), rows, events, rejected, ingest.rejectedExamples(), gaps, transport,
                completeness, journal, null, notDoneReasons(rows, ingest.state().finals()),
                dev.lb.protocol.BuildInfo.describe(), ingest.state().stability(),
                systemWarnings(ingest, localHosts), live.summary(), null);
    }

    /** The clock offsets, then the interference in the repetitions' system metrics. */
    private static List<String> systemWarnings(Ingest ingest, List<String> localHosts) {
        List<String> out = new ArrayList<>(SystemWarnings.of(ingest.state().systems()));
        out.addAll(ingest.state().noise().warnings(localHosts));
        return out;
    }

    private static final int MAX_RANGES = 200;

    private static RunSummary.JournalState journalState(Ingest ingest) {
        var j = ingest.journal();
        var nj = ingest.notJournalled();
        List<RunSummary.GapRange> ranges = nj.ranges().stream().limit(MAX_RANGES).map(g -> new RunSummary.GapRange(
                g.stream().host(), g.stream().workload(), g.stream().repetition(), g.stream().src(), g.from(), g.to()))
                .toList();
        return new RunSummary.JournalState(j.written(), j.bytes(), ingest.journalFailure() == null ? null
                : ingest.journalFailure().getMessage(), j.damage(), nj.count(), nj.withoutSeq(), ranges);
    }

    /** The outcome of a run refused because another run held its targets: in the summary and lb runs. */
    static final String NOT_RUN_BUSY = "not run: target busy";

    /** Every repetition that did not end done is on a host another run held. */
    static boolean onlyBusyHosts(List<RunState.Row> rows, Map<String, String> busy) {
        if (busy.isEmpty()) {
            return false;
        }
        for (RunState.Row r : rows) {
            for (int rep = 1; rep <= r.totalRepetitions(); rep++) {
                if (!RunState.doneOrStable(r.repetitions().getOrDefault(rep, "pending")) && !busy.containsKey(r.host())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** No repetition of any host ran: each is pending or was skipped (a stop during setup). */
    private static boolean noneStarted(List<RunState.Row> rows) {
        return rows.stream().allMatch(r -> r.repetitions().values().stream()
                .allMatch(s -> s.equals("pending") || s.equals("skipped")));
    }

    private static final int MAX_NOT_DONE = 100;

    /** Each repetition that did not end done, with the message of its final event (the agent's, or the poll's). */
    private static List<RunSummary.NotDone> notDoneReasons(List<RunState.Row> rows,
                                                           Map<RunState.RepKey, RunState.Final> finals) {
        List<RunSummary.NotDone> out = new ArrayList<>();
        for (RunState.Row r : rows) {
            for (int rep = 1; rep <= r.totalRepetitions() && out.size() < MAX_NOT_DONE; rep++) {
                String state = r.repetitions().getOrDefault(rep, "pending");
                if (!RunState.doneOrStable(state)) {
                    RunState.Final fin = finals.get(new RunState.RepKey(r.host(), r.workload(), rep));
                    out.add(new RunSummary.NotDone(r.host(), r.workload(), rep, state, fin == null ? null : fin.message()));
                }
            }
        }
        return out;
    }

    /** "the results of 1 repetition could not be parsed: web-1 cpu rep 2 (stress-ng result unparsed: ...)". */
    private static String unparsedResults(Map<RunState.RepKey, String> unparsed) {
        Map.Entry<RunState.RepKey, String> first = unparsed.entrySet().iterator().next();
        return "the results of " + unparsed.size() + (unparsed.size() == 1 ? " repetition" : " repetitions")
                + " could not be parsed: " + first.getKey() + " (" + first.getValue() + ")"
                + (unparsed.size() > 1 ? " and " + (unparsed.size() - 1) + " more" : "");
    }

    /** "2 repetitions did not end done: 1 timeout, 1 failed", or null when every repetition is done. */
    private static String notDone(List<RunState.Row> rows) {
        Map<String, Integer> byState = new TreeMap<>();
        int n = 0;
        for (RunState.Row r : rows) {
            for (int rep = 1; rep <= r.totalRepetitions(); rep++) {
                String s = r.repetitions().getOrDefault(rep, "pending");
                if (!RunState.doneOrStable(s)) {
                    byState.merge(s, 1, Integer::sum);
                    n++;
                }
            }
        }
        if (n == 0) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        byState.forEach((s, c) -> parts.add(c + " " + s));
        return n + (n == 1 ? " repetition" : " repetitions") + " did not end done: " + String.join(", ", parts);
    }
}

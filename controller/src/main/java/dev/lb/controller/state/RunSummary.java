package dev.lb.controller.state;

import java.util.List;
import java.util.Map;

/**
 * The end of a run, as written to summary.json: final state per host/workload/repetition, how events arrived, what
 * was merged, rejected and missing. Everything the "never lose an event silently" promise needs to be checked.
 */
public record RunSummary(
        String runId,
        String config,
        String outcome,
        int exitCode,
        String reason,
        double startedAt,
        double endedAt,
        Integer ansibleExitCode,
        List<RunState.Row> state,
        Events events,
        Map<String, Long> rejected,
        List<String> rejectedExamples,
        List<GapRange> gaps,
        Transport transport,
        Completeness completeness,
        JournalState journal,
        Boolean unfinished,
        List<NotDone> notDone,
        String lbVersion,
        List<Stability> stability,
        List<String> systemWarnings,
        List<Slice> slices,
        List<Export> exports) {

    /**
     * One exporter's account of the run: items sent (accepted by the endpoint), requests retried, items dropped by
     * reason ({@code 4xx}, {@code queue full}, {@code retries exhausted}, {@code flush time-out}...), and a warning
     * when something was dropped. {@code exports} is null for a run without exporters.
     */
    public record Export(String kind, String url, long sent, long retried, long dropped, Map<String, Long> droppedBy) {
        public String describe() {
            StringBuilder b = new StringBuilder(kind + " " + url + ": " + sent + " sent, " + retried + " retried, "
                    + dropped + " dropped");
            if (!droppedBy.isEmpty()) {
                b.append(" (");
                droppedBy.forEach((why, n) -> b.append(b.charAt(b.length() - 1) == '(' ? "" : ", ").append(n)
                        .append(' ').append(why));
                b.append(')');
            }
            return b.toString();
        }
    }

    /** The same summary with what the exporters did. */
    public RunSummary withExports(List<Export> list) {
        return new RunSummary(runId, config, outcome, exitCode, reason, startedAt, endedAt, ansibleExitCode, state, events,
                rejected, rejectedExamples, gaps, transport, completeness, journal, unfinished, notDone, lbVersion,
                stability, systemWarnings, slices, list);
    }

    /**
     * One slice of a sliced run: its number, its hosts, its ansible-playbook's exit code (null: killed, or not known
     * to lb recover) and the lines its two live files carried. {@code slices} is null for a run of one process.
     */
    public record Slice(int slice, List<String> hosts, Integer ansibleExitCode, long stdoutLines, long jsonlLines) {
    }

    /** A summary with nothing but an outcome and the state: for a replay without summary.json, or a benchmark. */
    public static RunSummary empty(String runId, String config, String outcome, List<RunState.Row> state) {
        return new RunSummary(runId, config, outcome, 0, null, 0, 0, null, state, new Events(0, 0, 0, 0, 0, 0, 0, 0),
                Map.of(), List.of(), List.of(), new Transport(0, 0, 0, 0, 0, 0, List.of(), null, 0, 0, List.of()),
                Completeness.unknown("no summary.json: the run was not finished"), null, null, null,
                dev.lb.protocol.BuildInfo.describe(), null, List.of(), null, null);
    }

    /**
     * What is known of a run ended at once (a second Ctrl-C, a dead pump): written to summary.json so the counts are
     * kept, and marked unfinished so that nothing takes it for a finished run until {@code lb recover}.
     */
    public RunSummary asUnfinished() {
        return new RunSummary(runId, config, outcome, exitCode, reason, startedAt, endedAt, ansibleExitCode, state, events,
                rejected, rejectedExamples, gaps, transport, completeness, journal, true, notDone, lbVersion,
                stability, systemWarnings, slices, exports);
    }

    public boolean isUnfinished() {
        return Boolean.TRUE.equals(unfinished);
    }

    /**
     * Counts of accepted events: by the live paths (stdout only, JSONL only, both) and recovered from the targets'
     * stream files after the run (on neither live path).
     */
    public record Events(long accepted, long stdoutOnly, long jsonlOnly, long both, long duplicatesMerged,
                         long stdoutSightings, long jsonlSightings, long recovered) {
    }

    /**
     * The journal file as it is on disk: whole records in it, and, when a write failed (a full disk), why, where it
     * stops, and which accepted events it does not hold ({@code lb recover} journals them once there is room).
     */
    public record JournalState(long records, long bytes, String failure, String damage, long notJournalled,
                               long notJournalledWithoutSeq, List<GapRange> notJournalledRanges) {
        public boolean failed() {
            return failure != null;
        }
    }

    /**
     * Adaptive repetitions of one host × workload: whether its result metric became stable, over how many done
     * repetitions, how many repetitions were skipped for it, and the agent's words (the cv against the bound).
     */
    public record Stability(String host, String workload, boolean stable, int n, int skipped, String explanation) {
        /** From the {@code stability} object the agent puts on a final event. */
        public static Stability of(String host, String workload, com.fasterxml.jackson.databind.JsonNode verdict,
                                   int skipped) {
            return new Stability(host, workload, verdict.path("stable").asBoolean(false), verdict.path("n").asInt(),
                    skipped, verdict.path("explanation").asText(""));
        }

        public String describe() {
            return host + " " + workload + ": " + (stable ? "stable after " + n + (n == 1 ? " repetition" : " repetitions")
                    : "not stable") + " (" + explanation + ")" + (skipped > 0 ? ", " + skipped + " skipped" : "");
        }
    }

    /** A repetition that did not end done, with the reason its final event gave. */
    public record NotDone(String host, String workload, int repetition, String status, String reason) {
    }

    /** A missing seq range of one emitter in one repetition. */
    public record GapRange(String host, String workload, int repetition, String src, long from, long to) {
    }

    /**
     * What the transport itself reported: callback diagnostics, poll warnings, read errors, stdout lines; and the
     * collected stream files: lines read and payloads in them the decoder rejected (a torn last line included).
     */
    public record Transport(long stdoutLines, long jsonlLines, long jsonlReadErrors, long jsonlTruncations,
                            long callbackDiagnostics, long streamLinesSkipped, List<String> warnings,
                            Long callbackEvents, long streamFileLines, long streamFileRejected,
                            List<String> streamFileRejectedExamples) {
    }
}

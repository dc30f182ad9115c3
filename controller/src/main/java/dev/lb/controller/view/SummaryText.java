package dev.lb.controller.view;

import dev.lb.controller.state.RunState;
import dev.lb.controller.state.RunSummary;
import dev.lb.protocol.TerminalText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The run summary as text, for the end of a run and for {@code lb journal summary}. */
public final class SummaryText {
    private SummaryText() {
    }

    public static List<String> lines(RunSummary s) {
        List<String> out = new ArrayList<>();
        out.add("run " + s.runId() + ": " + s.outcome() + " (exit " + s.exitCode() + ")"
                + (s.reason() == null ? "" : " - " + s.reason()));
        for (RunState.Row r : s.state()) {
            String reps = r.repetitions().entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                    .collect(Collectors.joining(" "));
            out.add(String.format("  %-20s %-16s %d/%d %-11s %6d events  [%s]", TerminalText.sanitize(r.host()),
                    TerminalText.sanitize(r.workload()), r.repetition(), r.totalRepetitions(), r.state(), r.events(),
                    reps));
        }
        RunSummary.Events e = s.events();
        out.add("  events: " + e.accepted() + " journalled (stdout only " + e.stdoutOnly() + ", jsonl only "
                + e.jsonlOnly() + ", both " + e.both() + "), duplicates merged " + e.duplicatesMerged());
        long rejected = s.rejected().values().stream().mapToLong(Long::longValue).sum();
        out.add("  rejected: " + rejected + (rejected == 0 ? "" : " " + s.rejected()));
        for (String ex : s.rejectedExamples().subList(0, Math.min(5, s.rejectedExamples().size()))) {
            out.add("    " + ex);
        }
        out.add("  seq gaps: " + s.gaps().size());
        for (RunSummary.GapRange g : s.gaps().subList(0, Math.min(10, s.gaps().size()))) {
            out.add("    " + g.host() + " " + g.workload() + " rep " + g.repetition() + " " + g.src() + ": seq " + g.from()
                    + (g.to() == g.from() ? "" : "-" + g.to()) + " missing");
        }
        RunSummary.Transport t = s.transport();
        if (t.jsonlReadErrors() > 0 || t.jsonlTruncations() > 0 || t.callbackDiagnostics() > 0 || !t.warnings().isEmpty()
                || t.streamLinesSkipped() > 0) {
            out.add("  transport: " + t.jsonlReadErrors() + " JSONL read errors, " + t.jsonlTruncations()
                    + " JSONL truncations, " + t.callbackDiagnostics() + " callback diagnostics, " + t.warnings().size()
                    + " warnings, " + t.streamLinesSkipped() + " non-event lines in stream files");
            t.warnings().stream().limit(5).forEach(w -> out.add("    " + TerminalText.sanitize(w)));
        }
        return out;
    }

}

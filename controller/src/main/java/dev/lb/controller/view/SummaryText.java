package dev.lb.controller.view;

import dev.lb.controller.state.Completeness;
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
        out.add("run " + s.runId() + ": " + s.outcome() + (s.isUnfinished() ? ", unfinished" : "") + " (exit "
                + s.exitCode() + ")" + (s.reason() == null ? "" : " - " + s.reason()));
        for (RunState.Row r : s.state()) {
            String reps = r.repetitions().entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                    .collect(Collectors.joining(" "));
            out.add(String.format("  %-20s %-16s %d/%d %-11s %6d events  [%s]", TerminalText.sanitize(r.host()),
                    TerminalText.sanitize(r.workload()), r.repetition(), r.totalRepetitions(), r.state(), r.events(),
                    reps));
        }
        if (s.notDone() != null) {
            s.notDone().stream().filter(n -> n.reason() != null).limit(20).forEach(n -> out.add("    "
                    + TerminalText.sanitize(n.host() + " " + n.workload() + " rep " + n.repetition() + " " + n.status()
                    + ": " + abbreviate(n.reason()))));
        }
        if (s.stability() != null && !s.stability().isEmpty()) {
            out.add("  until stable:");
            s.stability().forEach(st -> out.add("    " + TerminalText.sanitize(st.describe())));
        }
        if (s.slices() != null) {
            for (RunSummary.Slice sl : s.slices()) {
                out.add("  slice " + sl.slice() + ": " + sl.hosts().size() + (sl.hosts().size() == 1 ? " host" : " hosts")
                        + " (" + String.join(", ", sl.hosts()) + "), ansible-playbook "
                        + (sl.ansibleExitCode() == null ? "exit unknown" : "exit " + sl.ansibleExitCode()) + ", "
                        + sl.stdoutLines() + " stdout lines, " + sl.jsonlLines() + " JSONL lines");
            }
        }
        RunSummary.Events e = s.events();
        RunSummary.JournalState j = s.journal();
        out.add("  events: " + e.accepted() + " accepted (stdout only " + e.stdoutOnly() + ", jsonl only "
                + e.jsonlOnly() + ", both " + e.both() + ", recovered " + e.recovered() + "), "
                + (j == null ? e.accepted() : j.records()) + " journalled, duplicates merged " + e.duplicatesMerged());
        if (j != null && j.failed()) {
            out.add("  journal: a write failed (" + TerminalText.sanitize(j.failure()) + "); it holds " + j.records()
                    + " whole records, " + j.notJournalled() + " accepted events are not in it"
                    + (j.notJournalledWithoutSeq() > 0 ? " (" + j.notJournalledWithoutSeq() + " without a seq)" : ""));
            j.notJournalledRanges().stream().limit(10).forEach(g -> out.add("    " + TerminalText.sanitize(g.host() + " "
                    + g.workload() + " rep " + g.repetition() + " " + g.src() + ": seq " + g.from()
                    + (g.to() == g.from() ? "" : "-" + g.to())) + " not journalled"));
            if (j.damage() != null) {
                out.add("    " + TerminalText.sanitize(j.damage()));
            }
        }
        if (e.recovered() > 0) {
            out.add("  recovered from the targets' stream files: " + e.recovered() + " (on neither live path)");
        }
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
        Completeness c = s.completeness();
        if (c != null) {
            out.add("  completeness: " + c.verdict() + (c.checked() ? " (" + c.sealedRepetitions() + " of "
                    + c.repetitionsRun() + " repetitions sealed; stream files collected from " + c.collectedHosts().size()
                    + " host" + (c.collectedHosts().size() == 1 ? "" : "s") + ")" : " (not checked: no seal was read)"));
            c.lost().stream().limit(10).forEach(l -> out.add("    " + TerminalText.sanitize(l.describe())));
            c.unsealed().stream().limit(10).forEach(u -> out.add("    " + TerminalText.sanitize(u)));
            c.cannotTell().stream().limit(10).forEach(u -> out.add("    cannot tell: " + TerminalText.sanitize(u)));
        }
        RunSummary.Transport t = s.transport();
        if (t.jsonlReadErrors() > 0 || t.jsonlTruncations() > 0 || t.callbackDiagnostics() > 0 || !t.warnings().isEmpty()
                || t.streamLinesSkipped() > 0) {
            out.add("  transport: " + t.jsonlReadErrors() + " JSONL read errors, " + t.jsonlTruncations()
                    + " JSONL truncations, " + t.callbackDiagnostics() + " callback diagnostics, " + t.warnings().size()
                    + " warnings, " + t.streamLinesSkipped() + " non-event lines in stream files");
            t.warnings().stream().limit(5).forEach(w -> out.add("    " + TerminalText.sanitize(w)));
        }
        if (t.streamFileRejected() > 0) {
            out.add("  stream files: " + t.streamFileRejected() + " lines rejected on recovery (" + t.streamFileLines()
                    + " read)");
            t.streamFileRejectedExamples().stream().limit(3).forEach(x -> out.add("    " + TerminalText.sanitize(x)));
        }
        if (s.systemWarnings() != null && !s.systemWarnings().isEmpty()) {
            out.add("  system warnings: " + s.systemWarnings().size());
            s.systemWarnings().stream().limit(20).forEach(w -> out.add("    ! " + TerminalText.sanitize(w)));
        }
        if (s.exports() != null) {
            for (RunSummary.Export x : s.exports()) {
                out.add("  export " + (x.dropped() > 0 ? "! " : "") + x.describe());
            }
        }
        if (s.lbVersion() != null) {
            out.add("  lb " + s.lbVersion());
        }
        // Every summary line may quote what a target or a config sent: each is made inert, wherever it is printed.
        return out.stream().map(TerminalText::sanitize).toList();
    }


    /** Long enough for an unreachable host's cause: the retries, then what ssh said after Ansible's own words. */
    private static String abbreviate(String s) {
        return s.length() <= 600 ? s : s.substring(0, 600) + "...";
    }
}

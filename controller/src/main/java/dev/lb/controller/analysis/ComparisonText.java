package dev.lb.controller.analysis;

import static dev.lb.protocol.TerminalText.sanitize;

import dev.lb.controller.system.SystemDifferences;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code lb compare} as text: what differs around the numbers (systems, workload definitions), then per workload ×
 * metric a table with one row per host and the pooled {@code all hosts} row: both means and medians, the change in
 * percent, the interval of the difference at the level the row was judged at, Hedges' g, Welch's p-value, the
 * corrected p-value, and for a workload's primary metric the verdict ({@code ~}: not significant after Holm).
 */
public final class ComparisonText {
    private ComparisonText() {
    }

    public static List<String> lines(RunComparison c) {
        List<String> out = new ArrayList<>();
        long primaries = c.rows().stream().filter(r -> RunComparison.HOLM.equals(r.judgement().correction())).count();
        out.add("base " + sanitize(c.baseRun()) + " vs new " + sanitize(c.newRun()) + ": Welch's t-test, alpha "
                + c.alpha() + "; a verdict on each workload's primary metric only, Holm-corrected across the " + primaries
                + " primary row(s); other metrics get Benjamini-Hochberg q-values and no verdict; change and CI are new - base,"
                + " the CI at the level the row was judged at; effect size is Hedges' g");
        out.addAll(system(c.system()));
        out.addAll(definitions(c.definitions()));
        RunResults.SeriesKey current = null;
        List<List<String>> table = null;
        for (RunComparison.Row r : c.rows()) {
            if (!r.series().equals(current)) {
                flush(table, out);
                current = r.series();
                out.add("");
                out.add("workload " + sanitize(current.workload()) + ", " + sanitize(current.metric()) + " ("
                        + sanitize(current.unit()) + ", " + SeriesRoles.label(r.role().direction()).replace('_', ' ')
                        + "): " + (r.primary() ? "primary metric, judged" : "other metric, no verdict"));
                table = new ArrayList<>();
                table.add(List.of("  HOST", "BASE MEAN", "NEW MEAN", "CHANGE", "CI OF DIFFERENCE",
                        "MEDIAN BASE -> NEW", "G", "WELCH P", "CORRECTED", "VERDICT"));
            }
            table.add(row(r));
        }
        flush(table, out);
        if (c.rows().isEmpty()) {
            out.add("");
            out.add("nothing to compare: no host, workload and metric has results in both runs");
        }
        return out;
    }

    /**
     * The system differences, above the numbers: a comparison across different hardware first (it compares two
     * machines, not two runs of one), then every changed field per host.
     */
    static List<String> system(SystemDifferences d) {
        List<String> out = new ArrayList<>();
        if (d.changes().isEmpty() && d.notRecorded().isEmpty()) {
            return out;
        }
        out.add("");
        for (String host : d.differentHardware()) {
            out.add("! different hardware on " + sanitize(host) + " (CPU model or core count): the numbers compare two"
                    + " machines, not two runs of one");
        }
        out.add("system differences (base -> new):");
        for (SystemDifferences.Change ch : d.changes()) {
            out.add("  " + sanitize(ch.host()) + ": " + sanitize(ch.field()) + " " + value(ch.base()) + " -> "
                    + value(ch.candidate()));
        }
        d.notRecorded().forEach(n -> out.add("  " + sanitize(n)));
        return out;
    }

    /** The workloads whose definition changed: the numbers then measure a different thing, not the same one again. */
    static List<String> definitions(WorkloadDefinitions.Changes d) {
        List<String> out = new ArrayList<>();
        if (d.changes().isEmpty() && d.notRecorded().isEmpty()) {
            return out;
        }
        out.add("");
        if (!d.changes().isEmpty()) {
            out.add("workload definitions changed (base -> new):");
        }
        for (WorkloadDefinitions.Change ch : d.changes()) {
            out.add("  " + sanitize(ch.workload()) + ": " + sanitize(ch.field()) + " " + value(ch.base()) + " -> "
                    + value(ch.candidate()));
        }
        d.notRecorded().forEach(n -> out.add(sanitize(n)));
        return out;
    }

    private static String value(String v) {
        return v == null ? "(not set)" : sanitize(v);
    }

    private static void flush(List<List<String>> table, List<String> out) {
        if (table != null) {
            out.addAll(TextTable.render(table));
        }
    }

    private static List<String> row(RunComparison.Row r) {
        Difference d = r.difference();
        RunComparison.Judgement j = r.judgement();
        // Every figure of the row in the unit the base mean reads best in (MiB/s, ms), so they compare at a glance.
        DisplayUnit u = DisplayUnit.of(sanitize(r.series().unit()), d.baseMean());
        String unit = u.symbol();
        return List.of("  " + sanitize(r.host()),
                u.show(d.baseMean()) + " (n=" + d.baseN() + ")",
                u.show(d.newMean()) + " (n=" + d.newN() + ")",
                d.changePct() == null ? "-" : Figures.percent(d.changePct()),
                j.interval() == null ? "-" : "[" + Figures.signed(u.scale(j.interval().low())) + ", "
                        + Figures.signed(u.scale(j.interval().high())) + "] " + unit + " at "
                        + level(j.interval().level()),
                Figures.number(u.scale(d.baseMedian())) + " -> " + Figures.number(u.scale(d.newMedian())) + " " + unit,
                d.hedgesG() == null ? "-" : String.format(Locale.ROOT, "%.2f", d.hedgesG()),
                d.pValue() == null ? "-" : d.kind() == Difference.Kind.TESTED ? "p " + Figures.pValue(d.pValue())
                        : d.kind() == Difference.Kind.NO_CHANGE ? "p = 1" : "(exact)",
                corrected(j),
                verdict(r));
    }

    /** A level as a percentage with the digits it needs: 95 %, 98.75 %, 99.375 %. */
    static String level(double level) {
        String s = String.format(Locale.ROOT, "%.4f", level * 100).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s + " %";
    }

    private static String corrected(RunComparison.Judgement j) {
        if (j.correction() == null) {
            return "-";
        }
        String p = Figures.pValue(j.adjusted());
        return (j.correction().equals(RunComparison.HOLM) ? "Holm p " : "q ") + p;
    }

    private static String verdict(RunComparison.Row r) {
        if (!r.primary()) {
            return "-";
        }
        return switch (r.verdict()) {
            case "n too small" -> "n too small (no test)";
            case "no change" -> "no change";
            case "not significant" -> "~";
            case "exact" -> r.outcome() + " (exact: no spread on either side)";
            default -> r.outcome();
        };
    }
}

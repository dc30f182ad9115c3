package dev.lb.controller.results;

import static dev.lb.protocol.TerminalText.sanitize;

import dev.lb.controller.system.SystemDifferences;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code lb compare} as text: per workload × metric a table with one row per host and the pooled {@code all hosts}
 * row: both means and medians, the change in percent, the 95 % CI of the difference, Hedges' g, the test and its
 * p-value, and the verdict ({@code ~} not significant at alpha).
 */
public final class ComparisonText {
    private ComparisonText() {
    }

    public static List<String> lines(RunComparison c) {
        List<String> out = new ArrayList<>();
        out.add("base " + sanitize(c.baseRun()) + " vs new " + sanitize(c.newRun()) + ": test " + c.test().label()
                + (c.test() == TestChoice.AUTO ? " (Mann-Whitney U when both n >= " + TestChoice.AUTO_MIN_N
                + ", else Welch's t)" : "") + ", alpha " + c.alpha()
                + "; change and CI are new - base; effect size is Hedges' g");
        out.addAll(system(c.system()));
        RunResults.SeriesKey current = null;
        List<List<String>> table = null;
        for (RunComparison.Row r : c.rows()) {
            if (!r.series().equals(current)) {
                flush(table, out);
                current = r.series();
                out.add("");
                out.add("workload " + sanitize(current.workload()) + ", " + sanitize(current.metric()) + " ("
                        + sanitize(current.unit()) + ", " + current.direction().replace('_', ' ') + ")");
                table = new ArrayList<>();
                table.add(List.of("  HOST", "BASE MEAN", "NEW MEAN", "CHANGE", "95% CI OF DIFFERENCE",
                        "MEDIAN BASE -> NEW", "G", "TEST", "VERDICT"));
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
                    + value(ch.neu()));
        }
        d.notRecorded().forEach(n -> out.add("  " + sanitize(n)));
        return out;
    }

    private static String value(String v) {
        return v == null ? "(not reported)" : sanitize(v);
    }

    private static void flush(List<List<String>> table, List<String> out) {
        if (table != null) {
            out.addAll(TextTable.render(table));
        }
    }

    private static List<String> row(RunComparison.Row r) {
        Difference d = r.difference();
        String unit = sanitize(r.series().unit());
        return List.of("  " + sanitize(r.host()),
                Figures.number(d.baseMean()) + " " + unit + " (n=" + d.baseN() + ")",
                Figures.number(d.newMean()) + " " + unit + " (n=" + d.newN() + ")",
                d.changePct() == null ? "-" : Figures.percent(d.changePct()),
                d.ciLow() == null ? "-" : "[" + Figures.signed(d.ciLow()) + ", " + Figures.signed(d.ciHigh()) + "]",
                Figures.number(d.baseMedian()) + " -> " + Figures.number(d.newMedian()),
                d.hedgesG() == null ? "-" : String.format(Locale.ROOT, "%.2f", d.hedgesG()),
                d.test() == null ? (d.pValue() == null ? "-" : "p = 1") : testName(d.test()) + " p " + Figures.pValue(d.pValue()),
                verdict(r));
    }

    static String testName(String test) {
        return test.equals("welch") ? "Welch t" : "Mann-Whitney U";
    }

    private static String verdict(RunComparison.Row r) {
        return switch (r.difference().verdict()) {
            case N_TOO_SMALL -> "n too small (no test)";
            case NO_CHANGE -> "no change";
            case NOT_SIGNIFICANT -> "~";
            case EXACT -> r.outcome() + " (exact: no spread on either side)";
            case SIGNIFICANT -> r.outcome();
        };
    }
}

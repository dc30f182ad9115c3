package dev.lb.controller.analysis;

import static dev.lb.protocol.TerminalText.sanitize;

import dev.lb.controller.system.SystemLine;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code lb results} as text: per workload a narrow table, one row per metric and host (then the fleet's sum for
 * additive units): mean ± stdev, median, p95, cv and n, each in the unit its mean reads best in ({@link DisplayUnit});
 * a row with flagged outliers is marked {@code !}, a row whose repetitions had noise measured during them (another
 * process busy on a CPU benchmark's cores, swapping, thermal throttling) {@code *}, each explained under the table,
 * and the outliers, excluded repetitions and unparsed results follow as lines. Every text that came from an event is
 * made inert first.
 */
public final class ResultsTable {
    static final String FLEET_ROW = "fleet (sum)";
    static final String OUTLIER_FLAG = "!";
    static final String NOISE_FLAG = "*";

    private ResultsTable() {
    }

    public static List<String> lines(RunResults r) {
        return lines(r, NoiseNotes.NONE);
    }

    public static List<String> lines(RunResults r, NoiseNotes noise) {
        List<String> out = new ArrayList<>();
        out.add("results of run " + sanitize(r.runId()));
        r.systems().forEach((host, s) -> out.add("system " + SystemLine.of(host, s)));
        TreeSet<String> workloads = new TreeSet<>();
        r.results().forEach(h -> workloads.add(h.series().workload()));
        for (String w : workloads) {
            out.add("");
            out.addAll(workload(r, w, noise));
        }
        if (noise.problem() != null) {
            out.add("");
            out.add("note: " + sanitize(noise.problem()));
        }
        if (r.results().isEmpty()) {
            out.add("no results: no repetition that ended done reported result metrics");
        }
        List<String> warmups = new ArrayList<>();
        for (RunResults.Excluded e : r.excluded()) {
            if (e.warmup()) {
                warmups.add(repetition(e.key()));
            }
        }
        if (!warmups.isEmpty()) {
            out.add("");
            out.add("warm-up repetitions, not counted: " + String.join(", ", warmups));
        }
        List<String> notes = new ArrayList<>();
        for (RunResults.Excluded e : r.excluded()) {
            if (!e.warmup()) {
                notes.add("excluded: " + repetition(e.key()) + " ended " + sanitize(e.status()) + ": "
                        + sanitize(e.reason()));
            }
        }
        for (RunResults.Unparsed u : r.unparsed()) {
            notes.add("unparsed: " + repetition(u.key()) + ": " + sanitize(u.reason()));
        }
        for (var st : r.stability()) {
            notes.add("until stable: " + sanitize(st.describe()));
        }
        if (!notes.isEmpty()) {
            out.add("");
            out.addAll(notes);
        }
        return out;
    }

    private static List<String> workload(RunResults r, String workload, NoiseNotes noise) {
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("  HOST", "METRIC", "MEAN ± STDEV", "MEDIAN", "P95", "CV", "N", "FLAGS"));
        List<String> outliers = new ArrayList<>();
        java.util.Set<String> noiseNotes = new java.util.HashSet<>();
        List<String> noiseLines = new ArrayList<>();
        TreeSet<RunResults.SeriesKey> series = new TreeSet<>();
        r.results().stream().filter(h -> h.series().workload().equals(workload)).forEach(h -> series.add(h.series()));
        for (RunResults.SeriesKey k : series) {
            String unit = sanitize(k.unit());
            for (RunResults.HostResult h : r.results()) {
                if (!h.series().equals(k)) {
                    continue;
                }
                List<String> noisy = noise.of(h.host(), workload);
                table.add(row(sanitize(h.host()), k, h.stats(), (h.outliers().isEmpty() ? "" : OUTLIER_FLAG)
                        + (noisy.isEmpty() ? "" : NOISE_FLAG)));
                if (!noisy.isEmpty() && noiseNotes.add(h.host())) {
                    noisy.forEach(w -> noiseLines.add(NOISE_FLAG + " " + sanitize(w)));
                }
                for (Outliers.Outlier o : h.outliers()) {
                    outliers.add(OUTLIER_FLAG + " outlier (flagged, still counted): " + sanitize(h.host()) + " "
                            + sanitize(k.metric()) + " repetition " + o.repetition() + ": "
                            + Figures.quantity(o.value(), unit) + " (" + o.rule() + ")");
                }
            }
            for (RunResults.FleetResult f : r.fleet()) {
                if (f.series().equals(k)) {
                    table.add(row(FLEET_ROW + " of " + f.hosts(), k, f.stats(), ""));
                }
            }
        }
        List<String> out = new ArrayList<>();
        out.add("workload " + sanitize(workload));
        out.addAll(TextTable.render(table));
        if (!outliers.isEmpty()) {
            out.add(OUTLIER_FLAG + " in FLAGS: a repetition's value lies far from the others (listed below); it is still"
                    + " counted, so the mean and spread include it");
            out.addAll(outliers);
        }
        if (!noiseLines.isEmpty()) {
            out.add(NOISE_FLAG + " in FLAGS: noise was measured during some of its repetitions (listed below); their"
                    + " values are counted, but the spread may be wider than the workload's own");
            out.addAll(noiseLines);
        }
        return out;
    }

    /** One host (or the fleet) and one metric: every figure in the unit its mean reads best in. */
    private static List<String> row(String host, RunResults.SeriesKey k, SampleSummary s, String flags) {
        String unit = sanitize(k.unit());
        DisplayUnit u = DisplayUnit.of(unit, s.mean());
        return List.of("  " + host, sanitize(k.metric()), Figures.meanStdev(s, unit),
                u.show(s.median()), u.show(s.p95()),
                s.cv() == null ? "-" : Figures.number(s.cv() * 100, 1) + " %", String.valueOf(s.n()), flags);
    }

    static String repetition(RepetitionKey k) {
        return sanitize(k.host()) + " " + sanitize(k.workload()) + " repetition " + k.repetition();
    }
}

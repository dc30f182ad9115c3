package dev.lb.controller.results;

import static dev.lb.protocol.TerminalText.sanitize;

import dev.lb.controller.system.SystemLine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code lb results} as text: per workload a table with the hosts as rows (and the fleet's sum for additive
 * units) and one column per metric, each cell {@code mean unit ± stdev (n=N)}; a cell with flagged outliers ends in
 * {@code !}, and the outliers, excluded repetitions and unparsed results follow as lines. Every text that came from
 * an event is made inert first.
 */
public final class ResultsTable {
    static final String FLEET_ROW = "fleet (sum)";

    private ResultsTable() {
    }

    public static List<String> lines(RunResults r) {
        List<String> out = new ArrayList<>();
        out.add("results of run " + sanitize(r.runId()));
        r.systems().forEach((host, s) -> out.add("system " + SystemLine.of(host, s)));
        TreeSet<String> workloads = new TreeSet<>();
        r.results().forEach(h -> workloads.add(h.series().workload()));
        for (String w : workloads) {
            out.add("");
            out.addAll(workload(r, w));
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

    private static List<String> workload(RunResults r, String workload) {
        List<RunResults.SeriesKey> columns = new ArrayList<>(new TreeSet<>(r.results().stream()
                .filter(h -> h.series().workload().equals(workload)).map(RunResults.HostResult::series).toList()));
        Map<String, String[]> rows = new LinkedHashMap<>();
        List<String> outliers = new ArrayList<>();
        for (RunResults.HostResult h : r.results()) {
            if (!h.series().workload().equals(workload)) {
                continue;
            }
            String[] row = rows.computeIfAbsent(sanitize(h.host()), k -> new String[columns.size()]);
            row[columns.indexOf(h.series())] = Figures.meanSpread(h.stats(), sanitize(h.series().unit()))
                    + (h.outliers().isEmpty() ? "" : " !");
            for (Outliers.Outlier o : h.outliers()) {
                outliers.add("! outlier (flagged, still counted): " + sanitize(h.host()) + " "
                        + sanitize(h.series().metric()) + " repetition " + o.repetition() + ": "
                        + Figures.number(o.value()) + " " + sanitize(h.series().unit()) + " (" + o.rule() + ")");
            }
        }
        for (RunResults.FleetResult f : r.fleet()) {
            if (f.series().workload().equals(workload)) {
                rows.computeIfAbsent(FLEET_ROW, k -> new String[columns.size()])[columns.indexOf(f.series())] =
                        Figures.meanSpread(f.stats(), sanitize(f.series().unit())) + " [" + f.hosts() + " hosts]";
            }
        }
        List<String> header = new ArrayList<>();
        header.add("workload " + sanitize(workload));
        columns.forEach(c -> header.add(sanitize(c.metric())));
        List<List<String>> table = new ArrayList<>();
        table.add(header);
        rows.forEach((host, cells) -> {
            List<String> line = new ArrayList<>();
            line.add(host);
            for (String c : cells) {
                line.add(c == null ? "-" : c);
            }
            table.add(line);
        });
        List<String> out = new ArrayList<>(TextTable.render(table));
        out.addAll(outliers);
        return out;
    }

    static String repetition(RepetitionKey k) {
        return sanitize(k.host()) + " " + sanitize(k.workload()) + " repetition " + k.repetition();
    }
}

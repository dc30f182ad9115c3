package dev.lb.controller.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.controller.analysis.Figures;
import dev.lb.controller.analysis.SampleSummary;
import dev.lb.controller.analysis.TextTable;
import dev.lb.history.query.HistoryQueries;
import dev.lb.history.query.RunPoint;
import dev.lb.history.query.Series;
import dev.lb.history.query.SeriesFilter;
import dev.lb.history.store.HistoryStore;
import dev.lb.history.store.HistoryStoreException;
import dev.lb.protocol.Json;
import dev.lb.protocol.TerminalText;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lb history show}: the runs of each matching series in time order. */
@Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Prints the runs of each matching series in time order: mean ± stdev of the run's counted"
                + " repetitions, n, labels, and why a run is excluded. The first line names the store read.",
        footer = {"", "Exit codes: 0 ok, 1 the store cannot be read, 2 usage."})
final class HistoryShowCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    HistoryOptions store;

    @CommandLine.Mixin
    HistoryFormat format;

    @CommandLine.Mixin
    HistoryFilterOptions filters;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        format.check();
        SeriesFilter f = filters.filter(Clock.systemUTC());
        try (HistoryStore s = store.openForReading(format, out, err)) {
            HistoryQueries q = new HistoryQueries(s);
            Map<Series, List<RunPoint>> all = new LinkedHashMap<>();
            for (Series series : q.series(f)) {
                List<RunPoint> points = q.points(series.seriesId(), f);
                if (!points.isEmpty()) {
                    all.put(series, points);
                }
            }
            switch (format.output) {
                case "json" -> {
                    ObjectNode root = Json.MAPPER.createObjectNode().put("store", s.location().shown());
                    ArrayNode a = root.putArray("series");
                    all.forEach((series, points) -> {
                        ArrayNode runs = seriesJson(a.addObject(), series).putArray("runs");
                        points.forEach(p -> runJson(runs.addObject(), p));
                    });
                    out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
                }
                case "csv" -> {
                    out.println("host,workload,metric,unit,primary,run_id,started_at,n,mean,stdev,min,max,excluded,"
                            + "labels");
                    all.forEach((series, points) -> points.forEach(p -> out.println(csvRow(series.host(),
                            series.workload(), series.metric(), series.unit(), series.primary(), p.runId(),
                            p.startedAt() == null ? null : time(p.startedAt()), p.n(), p.mean(), p.stdev(), p.min(),
                            p.max(), p.excludedReason(), labels(p)))));
                }
                default -> {
                    if (all.isEmpty()) {
                        out.println("no series match");
                    }
                    all.forEach((series, points) -> {
                        out.println();
                        out.println(TerminalText.sanitize(series.name() + (series.primary() ? " (primary)" : "")
                                + ", " + series.direction().replace('_', ' ') + "; machine " + series.fingerprint()
                                + ", definition " + series.definitionHash()));
                        List<List<String>> table = new ArrayList<>();
                        table.add(List.of("RUN", "STARTED", "MEAN ± STDEV (N)", "LABELS", ""));
                        for (RunPoint p : points) {
                            table.add(List.of(p.runId(), p.startedAt() == null ? "-" : time(p.startedAt()),
                                    value(p, series.unit()), labels(p),
                                    p.excluded() ? "excluded: " + p.excludedReason() : ""));
                        }
                        TextTable.render(table).forEach(l -> out.println(TerminalText.sanitize(l.stripTrailing())));
                    });
                }
            }
            return 0;
        } catch (HistoryStoreException e) {
            throw HistoryOptions.failed(e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of our own did not serialise", e);
        } finally {
            out.flush();
        }
    }

    /** {@code 1.234 kops/s ± 5.6 ops/s (n = 3)}, as lb results shows a mean with its spread. */
    static String value(RunPoint p, String unit) {
        if (p == null) {
            return "-";
        }
        return Figures.meanStdev(new SampleSummary(p.n(), p.mean(), p.stdev(), p.mean(), p.mean(), p.mean(),
                p.mean(), null), unit) + " (n = " + p.n() + ")";
    }

    static String time(double epochSeconds) {
        return Instant.ofEpochMilli(Math.round(epochSeconds * 1000)).toString().replaceFirst("\\.\\d+Z$", "Z");
    }

    static String labels(RunPoint p) {
        return p.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    static ObjectNode seriesJson(ObjectNode o, Series s) {
        return o.put("host", s.host()).put("machine", s.fingerprint()).put("workload", s.workload())
                .put("definition", s.definitionHash()).put("metric", s.metric()).put("unit", s.unit())
                .put("direction", s.direction()).put("primary", s.primary());
    }

    static void runJson(ObjectNode o, RunPoint p) {
        o.put("run_id", p.runId());
        if (p.startedAt() != null) {
            o.put("started_at", p.startedAt());
        }
        o.put("n", p.n()).put("mean", p.mean());
        if (p.stdev() != null) {
            o.put("stdev", p.stdev());
        }
        ArrayNode values = o.putArray("values");
        p.values().forEach(values::add);
        ObjectNode labels = o.putObject("labels");
        p.labels().forEach(labels::put);
        if (p.excluded()) {
            o.put("excluded", p.excludedReason());
        }
    }

    /** One CSV row: numbers at full precision, text quoted when it must be, null as an empty cell. */
    static String csvRow(Object... cells) {
        List<String> out = new ArrayList<>();
        for (Object c : cells) {
            String s = c == null ? "" : c instanceof Double d ? Double.toString(d) : String.valueOf(c);
            out.add(s.matches(".*[\",\\n\\r].*") ? "\"" + s.replace("\"", "\"\"") + "\"" : s);
        }
        return String.join(",", out);
    }
}

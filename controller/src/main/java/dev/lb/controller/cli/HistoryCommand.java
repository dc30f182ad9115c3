package dev.lb.controller.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.controller.history.SeriesOverview;
import dev.lb.controller.analysis.Figures;
import dev.lb.controller.analysis.TextTable;
import dev.lb.history.query.HistoryQueries;
import dev.lb.history.query.Series;
import dev.lb.history.query.SeriesFilter;
import dev.lb.history.store.HistoryStore;
import dev.lb.history.store.HistoryStoreException;
import dev.lb.protocol.Json;
import dev.lb.protocol.TerminalText;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lb history}: the series of the history, each with its last value, trend and last change point. */
@Command(name = "history", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Every run's numbers, kept: lb run and lb recover record each finished run in the history store"
                    + " (history.db where the runs are, or PostgreSQL with --history-url / LB_HISTORY_URL / -c CONFIG's"
                    + " history.url). Without a"
                    + " subcommand: lists the series (host × workload × metric) with their runs, last value, trend"
                    + " over the last runs and last change point. The first line names the store read.",
            ""},
        subcommands = {HistoryShowCommand.class, HistoryImportCommand.class, HistoryCheckCommand.class,
                HistoryExcludeCommand.class, HistoryIncludeCommand.class, HistoryBaselineCommand.class,
                HistoryReportCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 the store cannot be read, 2 usage."})
final class HistoryCommand implements Callable<Integer> {
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
        List<SeriesOverview> rows = new ArrayList<>();
        try (HistoryStore s = store.openForReading(format, out, err)) {
            HistoryQueries q = new HistoryQueries(s);
            for (var e : q.meansBySeries(f).entrySet()) {
                if (!e.getValue().isEmpty()) {
                    rows.add(SeriesOverview.of(e.getKey(), e.getValue()));
                }
            }
            switch (format.output) {
                case "json" -> out.println(Json.MAPPER.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(json(s.location().shown(), rows)));
                case "csv" -> csv(rows).forEach(out::println);
                default -> text(rows).forEach(l -> out.println(TerminalText.sanitize(l)));
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

    static List<String> text(List<SeriesOverview> rows) {
        if (rows.isEmpty()) {
            return List.of("no series match");
        }
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("SERIES", "RUNS", "LAST", "TREND", "LAST CHANGE POINT"));
        for (SeriesOverview r : rows) {
            table.add(List.of(r.series().name() + (r.series().primary() ? " *" : ""), String.valueOf(r.runs()),
                    HistoryShowCommand.value(r.last(), r.series().unit()),
                    r.trendPercentPerRun() == null ? "-" : Figures.percent(r.trendPercentPerRun()) + "/run over "
                            + r.trendRuns(),
                    r.lastChange() == null ? "none" : r.lastChange().runId() + ": "
                            + Figures.percent(r.lastChange().percent()) + " " + r.lastChange().verdict()));
        }
        List<String> out = new ArrayList<>(TextTable.render(table));
        out.add("(* the workload's primary metric; change points by E-divisive means over one value per run, p 0.001)");
        return out;
    }

    static ObjectNode json(String storeShown, List<SeriesOverview> rows) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("store", storeShown);
        ArrayNode a = root.putArray("series");
        for (SeriesOverview r : rows) {
            ObjectNode o = HistoryShowCommand.seriesJson(a.addObject(), r.series());
            o.put("runs", r.runs());
            o.put("last_run", r.last().runId());
            o.put("last_mean", r.last().mean());
            if (r.last().stdev() != null) {
                o.put("last_stdev", r.last().stdev());
            }
            o.put("last_n", r.last().n());
            if (r.trendPercentPerRun() != null) {
                o.put("trend_percent_per_run", r.trendPercentPerRun()).put("trend_runs", r.trendRuns());
            }
            if (r.lastChange() != null) {
                o.putObject("last_change_point").put("run_id", r.lastChange().runId())
                        .put("run_before", r.lastChange().runBefore()).put("percent", r.lastChange().percent())
                        .put("p_value", r.lastChange().pValue()).put("verdict", r.lastChange().verdict());
            }
        }
        return root;
    }

    static List<String> csv(List<SeriesOverview> rows) {
        List<String> out = new ArrayList<>();
        out.add("host,workload,metric,unit,primary,runs,last_run,last_mean,last_stdev,last_n,trend_percent_per_run,"
                + "last_change_run,last_change_percent,last_change_verdict");
        for (SeriesOverview r : rows) {
            Series s = r.series();
            out.add(HistoryShowCommand.csvRow(s.host(), s.workload(), s.metric(), s.unit(), s.primary(), r.runs(),
                    r.last().runId(), r.last().mean(), r.last().stdev(), r.last().n(), r.trendPercentPerRun(),
                    r.lastChange() == null ? null : r.lastChange().runId(),
                    r.lastChange() == null ? null : r.lastChange().percent(),
                    r.lastChange() == null ? null : r.lastChange().verdict()));
        }
        return out;
    }
}

package dev.lb.controller.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.controller.ExitCode;
import dev.lb.controller.analysis.Figures;
import dev.lb.controller.analysis.TextTable;
import dev.lb.history.gate.Gate;
import dev.lb.history.gate.GateSettings;
import dev.lb.history.gate.MinimumChange;
import dev.lb.history.gate.SeriesVerdict;
import dev.lb.history.query.HistoryQueries;
import dev.lb.history.record.RunDirectoryReader;
import dev.lb.history.store.HistoryStore;
import dev.lb.history.store.HistoryStoreException;
import dev.lb.protocol.Json;
import dev.lb.protocol.TerminalText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lb history check RUN}: the regression gate for CI. */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Checks a recorded run against its history: per series, the run's value (the mean of its counted"
                    + " repetitions) against the prediction interval of the last N earlier runs' values (not"
                    + " excluded, after the series' baseline or last change point for the better, before a change"
                    + " point for the worse), Student's t with N-1 degrees of freedom at 1 - alpha. A regression is"
                    + " outside the interval on the worse side by at least --min-change. Each workload's primary"
                    + " metric decides; the others are reported. The verdicts are stored with the run.",
            ""},
        footer = {"", "Exit codes: 0 no regression (or not enough history), 1 the run or the store cannot be read,"
                + " 2 usage, 3 not enough history with --require-history (or the run has no series),"
                + " 4 a regression."})
final class HistoryCheckCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    HistoryOptions store;

    @CommandLine.Mixin
    HistoryFormat format;

    @Parameters(paramLabel = "RUN", description = "A run id, a run directory, or 'last'.")
    String run;

    @Option(names = "--last", paramLabel = "N", defaultValue = "20",
            description = "Earlier runs compared with (default: ${DEFAULT-VALUE}, at least 5).")
    int last;

    @Option(names = "--min-change", paramLabel = "PCT",
            description = "The smallest change that is a regression, in percent (default: the config's"
                    + " regression.min_change_pct with -c, else 5).")
    Double minChange;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.01",
            description = "The prediction interval's alpha (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--require-history", description = "Exit 3 when a primary metric has fewer than 5 earlier runs.")
    boolean requireHistory;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        format.check();
        GateSettings settings;
        try {
            // --min-change, else the config's regression: block (with -c), else the gate's default.
            var config = store.choice.config();
            MinimumChange fromConfig = config == null ? null : config.history().minChange();
            settings = new GateSettings(last, minChange != null ? MinimumChange.uniform(minChange)
                    : fromConfig != null ? fromConfig : GateSettings.DEFAULT.minChange(), alpha, requireHistory);
        } catch (IllegalArgumentException e) {
            throw new LbException(ExitCode.USAGE, e.getMessage());
        }
        String runId = runId();
        try (HistoryStore s = store.openForReading(format, out, err)) {
            if (!new HistoryQueries(s).runExists(runId)) {
                throw new LbException(ExitCode.FAILED, "run " + runId + " is not in the history " + s.location().shown()
                        + " (lb history import " + runId + " adds it)");
            }
            List<SeriesVerdict> verdicts = new Gate(s, Clock.systemUTC()).check(runId, settings);
            int code = exitCode(verdicts, settings);
            switch (format.output) {
                case "json" -> out.println(Json.MAPPER.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(json(s.location().shown(), runId, verdicts, code)));
                case "csv" -> {
                    out.println("host,workload,metric,unit,primary,verdict,value,earlier_runs,earlier_mean,lower,upper,"
                            + "change_percent,starts_after");
                    verdicts.forEach(v -> out.println(HistoryShowCommand.csvRow(v.series().host(),
                            v.series().workload(), v.series().metric(), v.series().unit(), v.series().primary(),
                            v.kind().label(), v.value(), v.earlierRuns(), v.earlierMean(), v.lower(), v.upper(),
                            v.changePercent(), v.startsAfter())));
                }
                default -> text(runId, verdicts, code).forEach(l -> out.println(TerminalText.sanitize(l)));
            }
            return code;
        } catch (HistoryStoreException e) {
            throw HistoryOptions.failed(e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of our own did not serialise", e);
        } finally {
            out.flush();
        }
    }

    /** A run directory names its run by its results.json; anything else is taken as a run id. */
    private String runId() {
        Path asDir = Path.of(run);
        Path under = store.runsDir().resolve(run);
        Path dir = run.equals("last") ? JournalCommand.runDir(run, store.runsDir())
                : Files.isDirectory(asDir) ? asDir : Files.isDirectory(under) ? under : null;
        if (dir == null) {
            return run;
        }
        Path results = dir.resolve(RunDirectoryReader.RESULTS);
        if (!Files.isRegularFile(results)) {
            return dir.getFileName().toString();
        }
        try {
            return Json.MAPPER.readTree(results.toFile()).path("run_id").asText(dir.getFileName().toString());
        } catch (IOException e) {
            throw new LbException(ExitCode.FAILED, "cannot read " + results + ": " + e.getMessage());
        }
    }

    /** The primary metrics decide: 4 on a regression, else 3 when history is required and missing, else 0. */
    static int exitCode(List<SeriesVerdict> verdicts, GateSettings settings) {
        List<SeriesVerdict> primary = verdicts.stream().filter(v -> v.series().primary()).toList();
        if (primary.stream().anyMatch(v -> v.kind() == SeriesVerdict.Kind.REGRESSION)) {
            return ExitCode.REGRESSION;
        }
        if (verdicts.isEmpty()) {
            return ExitCode.INCOMPLETE;
        }
        if (settings.requireHistory()
                && primary.stream().anyMatch(v -> v.kind() == SeriesVerdict.Kind.NOT_ENOUGH_HISTORY)) {
            return ExitCode.INCOMPLETE;
        }
        return ExitCode.OK;
    }

    static List<String> text(String runId, List<SeriesVerdict> verdicts, int code) {
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("SERIES", "VALUE", "EARLIER RUNS", "INTERVAL", "CHANGE", "VERDICT"));
        for (SeriesVerdict v : verdicts) {
            String unit = v.series().unit();
            table.add(List.of(v.series().name() + (v.series().primary() ? " *" : ""),
                    Figures.quantity(v.value(), unit),
                    v.earlierMean() == null ? String.valueOf(v.earlierRuns())
                            : v.earlierRuns() + ", mean " + Figures.quantity(v.earlierMean(), unit),
                    v.lower() == null ? "-" : Figures.quantity(v.lower(), unit) + " .. "
                            + Figures.quantity(v.upper(), unit),
                    v.changePercent() == null ? "-" : Figures.percent(v.changePercent()), v.kind().label()));
        }
        List<String> out = new ArrayList<>(TextTable.render(table));
        verdicts.stream().filter(v -> v.startsAfter() != null).forEach(v -> out.add(v.series().name()
                + ": earlier runs start after the " + v.startsAfter()));
        out.add("(* the workload's primary metric, which decides)");
        out.add(switch (code) {
            case ExitCode.REGRESSION -> runId + ": regression";
            case ExitCode.INCOMPLETE -> verdicts.isEmpty() ? runId + ": cannot tell: the run has no series"
                    : runId + ": cannot tell: not enough history (--require-history)";
            default -> verdicts.stream().anyMatch(v -> v.series().primary()
                    && v.kind() == SeriesVerdict.Kind.NOT_ENOUGH_HISTORY)
                    ? runId + ": no regression found; not enough history for some series"
                    : runId + ": no regression";
        });
        return out;
    }

    static ObjectNode json(String shown, String runId, List<SeriesVerdict> verdicts, int code) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("store", shown).put("run_id", runId)
                .put("exit_code", code);
        ArrayNode a = root.putArray("series");
        for (SeriesVerdict v : verdicts) {
            ObjectNode o = HistoryShowCommand.seriesJson(a.addObject(), v.series());
            o.put("verdict", v.kind().label()).put("value", v.value()).put("earlier_runs", v.earlierRuns());
            if (v.earlierMean() != null) {
                o.put("earlier_mean", v.earlierMean()).put("lower", v.lower()).put("upper", v.upper())
                        .put("change_percent", v.changePercent());
            }
            o.put("starts_after", v.startsAfter()).put("min_change_percent", v.minChangePercent()).put("why", v.why());
        }
        return root;
    }
}

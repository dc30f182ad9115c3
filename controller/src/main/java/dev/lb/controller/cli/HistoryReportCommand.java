package dev.lb.controller.cli;

import dev.lb.controller.ExitCode;
import dev.lb.controller.history.HistoryReportData;
import dev.lb.controller.report.HtmlReport;
import dev.lb.history.query.HistoryQueries;
import dev.lb.history.store.HistoryStore;
import dev.lb.history.store.HistoryStoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lb history report}: one self-contained HTML page of the matching series over time. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Writes one self-contained HTML page (uPlot inlined, no network): per series the runs over time"
                + " (mean with the repetitions' min and max), change points marked, excluded runs greyed, labels on"
                + " hover, and a table of change points and regressions. The first line names the store read.",
        footer = {"", "Exit codes: 0 written, 1 the store cannot be read or the file cannot be written, 2 usage."})
final class HistoryReportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    HistoryOptions store;

    @CommandLine.Mixin
    HistoryFilterOptions filters;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "Where to write the page (default: history-report.html in the runs directory).")
    Path file;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Clock clock = Clock.systemUTC();
        var filter = filters.filter(clock);
        Path target = file != null ? file : store.runsDir().resolve("history-report.html");
        try (HistoryStore s = store.openExisting(out)) {
            String html = new HtmlReport("history.html.mustache", HtmlReport.HISTORY_CHART,
                    "report/history.js").render("lb history report",
                    HistoryReportData.of(s.location().shown(), new HistoryQueries(s), filter, clock.instant()));
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.writeString(tmp, html, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            out.println("written: " + target);
            return 0;
        } catch (HistoryStoreException e) {
            throw HistoryOptions.failed(e);
        } catch (IOException e) {
            throw new LbException(ExitCode.FAILED, "cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            out.flush();
        }
    }
}

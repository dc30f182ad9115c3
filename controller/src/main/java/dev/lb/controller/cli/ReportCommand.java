package dev.lb.controller.cli;

import dev.lb.protocol.TerminalText;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.controller.ExitCode;
import dev.lb.history.gate.MinimumChange;
import dev.lb.controller.report.ReportException;
import dev.lb.controller.report.RunReport;
import dev.lb.controller.analysis.ComparisonJson;
import dev.lb.controller.analysis.ResultsException;
import dev.lb.controller.analysis.ResultsFiles;
import dev.lb.controller.analysis.ResultsJson;
import dev.lb.controller.analysis.RunComparison;
import dev.lb.controller.analysis.RunResults;
import dev.lb.controller.analysis.WorkloadDefinitions;
import dev.lb.controller.history.RunHistorySection;
import dev.lb.history.store.StoreLocation;
import dev.lb.protocol.BuildInfo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lb report RUN [--compare BASE]}: one self-contained HTML page of a run's results and system metrics. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Writes runs/<id>/report.html: the run's summary, its results (computed from the journal as"
                + " `lb results` computes them; results.json and results.csv are written too when results.json is"
                + " missing or not newer than the journal), a chart per result metric across repetitions, the system"
                + " metrics per host, with --compare the comparison with a base run as `lb compare BASE RUN`"
                + " makes it, and the run's history: each of its series over its last 30 runs up to this one, from"
                + " the history store (history.db beside the run directory, or --history-url, LB_HISTORY_URL, the"
                + " config's history.url). The page needs no network. Its path is the last line printed.",
            "Exit codes: 0 written, 1 a file it reads is missing or damaged (a run without a journal), or a file could"
                    + " not be written, 2 usage."})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    JournalCommand.RunRef ref;

    @Option(names = "--compare", paramLabel = "BASE",
            description = "A base run (id, directory or 'last') to compare this run with, as lb compare does.")
    String base;

    @CommandLine.Mixin
    ComparisonOptions judging;

    @CommandLine.Mixin
    HistoryStoreChoice history;

    private final Clock clock;

    ReportCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        double alpha = judging.alpha();
        if (base == null && matched(ComparisonOptions.ALPHA)) {
            throw new LbException(ExitCode.USAGE, ComparisonOptions.ALPHA
                    + " judges a comparison: give --compare BASE with it");
        }
        Path dir = ref.dir();
        Path baseDir = base == null ? null : JournalCommand.runDir(base, ref.outputDir);
        // Always from the journal, the results' source of truth (both runs read before anything is written);
        // results.json is rewritten only when it may be behind the journal.
        RunResults results = RunResults.of(ResultsCommand.read(dir, err, ExitCode.FAILED));
        ObjectNode comparison = null;
        ObjectNode baseJson = null;
        if (baseDir != null) {
            RunResults baseResults = RunResults.of(ResultsCommand.read(baseDir, err, ExitCode.FAILED));
            baseJson = ResultsJson.of(baseResults);
            comparison = ComparisonJson.of(RunComparison.of(baseResults, results, alpha, WorkloadDefinitions.between(
                    WorkloadDefinitions.read(baseDir, baseResults.runId()),
                    WorkloadDefinitions.read(dir, results.runId()))), MinimumChange.DEFAULT, false, null);
        }
        try {
            if (ResultsFiles.stale(dir)) {
                ResultsCommand.write(dir, results);
            }
        } catch (ResultsException e) {
            throw new LbException(ExitCode.FAILED, e.getMessage(), e);
        }
        // The history section reads the store the run was recorded in (history.db beside the run directory unless
        // --history-url, LB_HISTORY_URL or the config's history.url say otherwise); it never fails the report.
        StoreLocation store = history.location(dir.toAbsolutePath().normalize().getParent());
        ObjectNode historySection = RunHistorySection.read(store, results.runId());
        if (historySection.path("problem").asBoolean()) {
            err.println("lb: warning: the report's history section: " + TerminalText.sanitize(
                    historySection.path("note").asText()));
        }
        try {
            Path report = RunReport.write(dir, ResultsJson.of(results), comparison, baseJson, historySection,
                    clock.instant(),
                    BuildInfo.describe(), w -> err.println("lb: " + TerminalText.sanitize(w)));
            out.println(report);
            return ExitCode.OK;
        } catch (ReportException e) {
            throw new LbException(ExitCode.FAILED, e.getMessage(), e);
        }
    }

    private boolean matched(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }
}

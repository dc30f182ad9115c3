package dev.lb.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.controller.ExitCode;
import dev.lb.controller.report.Comparison;
import dev.lb.controller.report.ComparisonSource;
import dev.lb.controller.report.ReportException;
import dev.lb.controller.report.RunReport;
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
        description = {"Writes runs/<id>/report.html: the run's summary, its results (from results.json, written by"
                + " `lb results`), a chart per result metric across repetitions, the system metrics per host, and with"
                + " --compare the comparison with a base run. The page needs no network. Its path is the last line"
                + " printed.",
            "Exit codes: 0 written, 1 a file it reads is missing or damaged, 2 usage."})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    JournalCommand.RunRef ref;

    @Option(names = "--compare", paramLabel = "BASE",
            description = "A base run (id, directory or 'last') to compare this run with.")
    String base;

    private final ComparisonSource comparisons;
    private final Clock clock;

    ReportCommand(ComparisonSource comparisons, Clock clock) {
        this.comparisons = comparisons;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path dir = ref.dir();
        try {
            JsonNode results = RunReport.readResults(dir);
            Comparison comparison = null;
            if (base != null) {
                Path baseDir = JournalCommand.runDir(base, ref.outputDir);
                JsonNode baseResults = RunReport.readResults(baseDir);
                comparison = comparisons.compare(RunReport.runId(baseDir, baseResults), baseResults,
                        RunReport.runId(dir, results), results);
            }
            Path report = RunReport.write(dir, results, comparison, clock.instant(), BuildInfo.describe(),
                    w -> err.println("lb: " + w));
            out.println(report);
            return ExitCode.OK;
        } catch (ReportException e) {
            throw new LbException(ExitCode.FAILED, e.getMessage(), e);
        }
    }
}

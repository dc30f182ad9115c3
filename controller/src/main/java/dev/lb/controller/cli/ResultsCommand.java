package dev.lb.controller.cli;

import dev.lb.controller.ExitCode;
import dev.lb.controller.analysis.ResultEvents;
import dev.lb.controller.analysis.ResultsException;
import dev.lb.controller.analysis.ResultsFiles;
import dev.lb.controller.analysis.NoiseNotes;
import dev.lb.controller.analysis.ResultsTable;
import dev.lb.controller.analysis.RunResults;
import dev.lb.protocol.TerminalText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lb results RUN}: a run's statistics over its repetitions, written to results.json and results.csv. */
@Command(name = "results", mixinStandardHelpOptions = true,
        description = {"Computes a run's results from its journal: per host, workload and metric the mean, sample"
                + " standard deviation, min, median, p95, max and cv over the repetitions that ended done (warm-ups"
                + " never count), outliers flagged, fleet totals for additive units. Writes results.json and"
                + " results.csv into the run directory, then prints them as a table (or the JSON).",
                "Exit codes: 0 ok, 1 the journal is missing or damaged (its readable records are still used),"
                        + " 2 usage."},
        subcommands = {ResultsParseCommand.class})
final class ResultsCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "RUN",
            description = "A run id (under --output-dir), a run directory, or 'last' for the newest run.")
    String run;

    @Option(names = "--output-dir", paramLabel = "DIR", defaultValue = "runs",
            description = LbCommand.RUNS_DIR_HELP)
    Path outputDir;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (results.json as written) (default: ${DEFAULT-VALUE}).")
    String output;

    @Override
    public Integer call() throws IOException {
        if (run == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "RUN is required (a run id, a run"
                    + " directory or 'last')");
        }
        if (!output.equals("text") && !output.equals("json")) {
            throw new LbException(ExitCode.USAGE, "--output is text or json, not '" + output + "'");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path dir = JournalCommand.runDir(run, outputDir);
        ResultEvents events = read(dir, err, ExitCode.FAILED);
        RunResults results = RunResults.of(events);
        String json = write(dir, results);
        if (output.equals("json")) {
            out.print(json);
        } else {
            ResultsTable.lines(results, NoiseNotes.read(dir)).forEach(out::println);
            out.println();
            out.println("written: " + dir.resolve(ResultsFiles.JSON) + ", " + dir.resolve(ResultsFiles.CSV));
        }
        out.flush();
        if (events.unreadable() > 0) {
            err.println("lb: " + events.unreadable() + " unreadable record(s) in " + dir.resolve(ResultEvents.JOURNAL)
                    + " were skipped (each named above)");
            return ExitCode.FAILED;
        }
        return ExitCode.OK;
    }

    /**
     * A run's result events, for every command that computes results (lb results, lb compare, lb report); each
     * problem reported on {@code err} as {@code lb: file:line: ...}. A run without a journal, or one that cannot be
     * read, ends the command with {@code exitCode}.
     */
    static ResultEvents read(Path dir, PrintWriter err, int exitCode) {
        try {
            return ResultEvents.read(dir, problem -> err.println("lb: " + TerminalText.sanitize(problem)));
        } catch (ResultsException e) {
            throw new LbException(exitCode, e.getMessage(), e);
        }
    }

    /** Writes results.json and results.csv as lb results does (lb report too); returns the JSON written. */
    static String write(Path dir, RunResults results) {
        try {
            return ResultsFiles.write(dir, results);
        } catch (ResultsException e) {
            throw new LbException(ExitCode.FAILED, e.getMessage(), e);
        }
    }
}

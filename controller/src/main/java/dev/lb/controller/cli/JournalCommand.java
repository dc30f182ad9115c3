package dev.lb.controller.cli;

import dev.lb.controller.ExitCode;
import dev.lb.controller.ingest.Journal;
import dev.lb.controller.run.RunPipeline;
import dev.lb.controller.state.RunSummary;
import dev.lb.controller.state.SummaryFile;
import dev.lb.controller.run.JournalReplay;
import dev.lb.controller.state.RunState;
import dev.lb.controller.view.EventLine;
import dev.lb.controller.listener.RunListener;
import dev.lb.controller.view.Terminals;
import dev.lb.controller.view.TuiView;
import dev.lb.controller.view.SummaryText;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lb journal}: a finished (or crashed) run, replayed from its run directory. */
@Command(name = "journal", mixinStandardHelpOptions = true,
        description = "Replays a run from its run directory: the journal is the source of truth.",
        subcommands = {JournalCommand.Show.class, JournalCommand.Summary.class})
final class JournalCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (show or summary)");
    }

    /** Which run: an id under --output-dir, or a run directory. */
    static final class RunRef {
        @Parameters(paramLabel = "RUN", description = "A run id (under --output-dir) or a run directory.")
        String run;

        @Option(names = "--output-dir", paramLabel = "DIR", defaultValue = "runs",
            description = LbCommand.RUNS_DIR_HELP)
        Path outputDir;

        Path dir() {
            return runDir(run, outputDir);
        }
    }

    static Path runDir(String run, Path outputDir) {
        if (run.equals("last")) {
            try {
                return dev.lb.controller.run.PastRuns.newest(outputDir).orElseThrow(() -> new LbException(
                        ExitCode.USAGE, "no runs under " + outputDir.toAbsolutePath() + " for 'last'"));
            } catch (java.io.IOException e) {
                throw new LbException(ExitCode.USAGE, "cannot list " + outputDir + ": " + e.getMessage());
            }
        }
        Path asPath = Path.of(run);
        if (Files.isDirectory(asPath)) {
            return asPath;
        }
        Path underOutput = outputDir.resolve(run);
        if (Files.isDirectory(underOutput)) {
            return underOutput;
        }
        throw new LbException(ExitCode.USAGE, "no run '" + run + "' (neither a directory nor " + underOutput + ")");
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Replays a run's journalled events, then its summary: as plain lines, or in the dashboard"
                    + " with --output tui (at the recorded pace with --pace recorded).")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        RunRef ref;

        @Option(names = "--output", paramLabel = "MODE", defaultValue = "plain",
                description = "plain, tui or auto (default: ${DEFAULT-VALUE}).")
        String output;

        @Option(names = "--pace", paramLabel = "PACE", defaultValue = "max",
                description = "max (as fast as possible) or recorded (default: ${DEFAULT-VALUE}).")
        String pace;

        @Override
        public Integer call() throws IOException, InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!output.matches("plain|tui|auto") || !pace.matches("max|recorded")) {
                throw new LbException(ExitCode.USAGE, "--output is plain, tui or auto; --pace is max or recorded");
            }
            Path dir = ref.dir();
            Path journal = dir.resolve(Journal.FILE);
            if (!Files.exists(journal)) {
                throw new LbException(ExitCode.USAGE, "no journal in " + dir);
            }
            Path summaryFile = dir.resolve(RunPipeline.SUMMARY_FILE);
            RunSummary summary = Files.exists(summaryFile) ? SummaryFile.read(summaryFile) : null;
            java.util.Optional<org.jline.terminal.Terminal> terminal = output.equals("plain") ? java.util.Optional.empty()
                    : Terminals.forDashboard(System.getenv("TERM"), System.console() != null);
            if (terminal.isEmpty()) {
                if (output.equals("tui")) {
                    err.println("lb: not a terminal (or TERM is dumb): replaying as plain lines");
                }
                return plain(journal, summary, out, err);
            }
            RunListener view = new TuiView(terminal.get(), out, 2000, 15, 10_000, true, () -> { });
            RunState state = new RunState(List.of(), List.of(), 0);
            view.started(JournalReplay.info(dir, System.currentTimeMillis()));
            long bad = JournalReplay.replay(journal, JournalReplay.info(dir, 0), state, view, pace.equals("recorded"),
                    view::notice);
            view.finished(summary != null ? summary
                    : RunSummary.empty(dir.getFileName().toString(), "replay", "unknown (no summary.json)", state.snapshot()));
            return bad == 0 ? ExitCode.OK : ExitCode.FAILED;
        }

        private int plain(Path journal, RunSummary summary, PrintWriter out, PrintWriter err)
                throws IOException, InterruptedException {
            RunListener printer = new RunListener() {
                @Override
                public void accepted(dev.lb.controller.listener.Sighting s, RunState state) {
                    out.println(EventLine.format(s.event(), s.receivedMillis()));
                }
            };
            long bad = JournalReplay.replay(journal, null, new RunState(List.of(), List.of(), 0), printer,
                    pace.equals("recorded"), m -> err.println("lb: " + m));
            if (summary != null) {
                out.println();
                SummaryText.lines(summary).forEach(out::println);
            } else {
                out.println("(no summary.json: the run is still going, or it is unfinished: its controller ended before"
                        + " finishing it; `lb recover " + ref.dir().getFileName() + "` finishes it)");
            }
            return bad == 0 ? ExitCode.OK : ExitCode.FAILED;
        }
    }

    @Command(name = "summary", mixinStandardHelpOptions = true, description = "Prints a run's summary.")
    static final class Summary implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        RunRef ref;

        @Override
        public Integer call() throws IOException {
            Path summary = ref.dir().resolve(RunPipeline.SUMMARY_FILE);
            if (!Files.exists(summary)) {
                throw new LbException(ExitCode.INCOMPLETE, "no " + summary + ": the run is still going, or it is"
                        + " unfinished (its controller ended before finishing it); `lb recover "
                        + ref.dir().getFileName() + "` collects the targets' stream files and finishes it");
            }
            RunSummary s = SummaryFile.read(summary);
            SummaryText.lines(s).forEach(spec.commandLine().getOut()::println);
            String disagreement = dev.lb.controller.run.JournalAgreement.disagreement(ref.dir(), s);
            if (disagreement != null) {
                spec.commandLine().getErr().println("lb: " + disagreement);
                return ExitCode.INCOMPLETE;
            }
            if (s.isUnfinished()) {
                spec.commandLine().getErr().println("lb: the run is unfinished (ended at once, its targets not"
                        + " collected); `lb recover " + ref.dir().getFileName() + "` finishes it");
                return ExitCode.INCOMPLETE;
            }
            return ExitCode.OK;
        }
    }
}

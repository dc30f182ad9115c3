package dev.lb.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.controller.ExitCode;
import dev.lb.controller.ingest.Journal;
import dev.lb.controller.run.RunPipeline;
import dev.lb.controller.state.RunSummary;
import dev.lb.controller.state.SummaryFile;
import dev.lb.controller.view.EventLine;
import dev.lb.controller.view.SummaryText;
import dev.lb.protocol.EventDecoder;
import dev.lb.protocol.InvalidEventException;
import dev.lb.protocol.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
                description = "Where runs are (default: ${DEFAULT-VALUE}).")
        Path outputDir;

        Path dir() {
            return runDir(run, outputDir);
        }
    }

    static Path runDir(String run, Path outputDir) {
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
            description = "Prints a run's journalled events as the plain view shows them, then its summary.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        RunRef ref;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            Path dir = ref.dir();
            Path journal = dir.resolve(Journal.FILE);
            long line = 0;
            long bad = 0;
            try (BufferedReader r = Files.newBufferedReader(journal, StandardCharsets.UTF_8)) {
                for (String text; (text = r.readLine()) != null; ) {
                    line++;
                    try {
                        JsonNode rec = Json.MAPPER.readTree(text);
                        long received = Math.round(rec.path("received").asDouble() * 1000);
                        out.println(EventLine.format(EventDecoder.decode((ObjectNode) rec.get("event")), received));
                    } catch (IOException | InvalidEventException | ClassCastException | NullPointerException e) {
                        bad++;
                        spec.commandLine().getErr().println("lb: " + journal + ":" + line + ": unreadable record ("
                                + e.getClass().getSimpleName() + "), skipped");
                    }
                }
            } catch (java.nio.file.NoSuchFileException e) {
                throw new LbException(ExitCode.USAGE, "no journal in " + dir);
            }
            Path summary = dir.resolve(RunPipeline.SUMMARY_FILE);
            if (Files.exists(summary)) {
                out.println();
                SummaryText.lines(SummaryFile.read(summary)).forEach(out::println);
            } else {
                out.println("(no summary.json: the run is still going or its controller ended before writing it)");
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
                throw new LbException(ExitCode.USAGE, "no " + summary + " (the run has not finished)");
            }
            RunSummary s = SummaryFile.read(summary);
            SummaryText.lines(s).forEach(spec.commandLine().getOut()::println);
            return ExitCode.OK;
        }
    }
}

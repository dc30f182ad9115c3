package dev.lb.controller.cli;

import dev.lb.controller.ExitCode;
import dev.lb.history.record.RunDirectoryException;
import dev.lb.history.record.RunDirectoryReader;
import dev.lb.history.record.RunLabels;
import dev.lb.history.record.RunRecorder;
import dev.lb.history.store.HistoryStore;
import dev.lb.history.store.HistoryStoreException;
import dev.lb.protocol.TerminalText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lb history import}: records run directories in the history, again if they are there (idempotent). */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Records run directories (with their results.json) in the history: runs made before the history"
                + " existed, or whose recording failed. A run already there is replaced whole, in one transaction.",
        footer = {"", "Exit codes: 0 every run recorded, 1 a run or the store could not be read or written, 2 usage."})
final class HistoryImportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    HistoryOptions store;

    @Parameters(paramLabel = "RUN", arity = "0..*", description = "Run ids (under --output-dir) or run directories.")
    List<String> runs = List.of();

    @Option(names = "--all", description = "Every run directory under --output-dir that has a results.json.")
    boolean all;

    @Option(names = "--label", paramLabel = "KEY=VALUE",
            description = "A label for the runs imported (repeatable), kept in each run's labels.json.")
    List<String> labels = List.of();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (all == !runs.isEmpty()) {
            throw new LbException(ExitCode.USAGE, "give either run ids or directories, or --all");
        }
        Map<String, String> given = new LinkedHashMap<>();
        for (String l : labels) {
            try {
                var e = RunLabels.parse(l);
                given.put(e.getKey(), e.getValue());
            } catch (IllegalArgumentException e) {
                throw new LbException(ExitCode.USAGE, "--label: " + e.getMessage());
            }
        }
        List<Path> dirs = new ArrayList<>();
        int skipped = 0;
        if (all) {
            if (!Files.isDirectory(store.runsDir())) {
                throw new LbException(ExitCode.USAGE, "no runs directory " + store.runsDir().toAbsolutePath());
            }
            try (Stream<Path> list = Files.list(store.runsDir())) {
                for (Path d : list.filter(Files::isDirectory).sorted().toList()) {
                    if (RunDirectoryReader.recordable(d)) {
                        dirs.add(d);
                    } else if (Files.exists(d.resolve(RunDirectoryReader.RUN))) {
                        skipped++;
                        out.println("skipped " + d.getFileName() + ": no results.json (lb results " + d
                                + " writes it)");
                    }
                }
            }
        } else {
            runs.forEach(r -> dirs.add(JournalCommand.runDir(r, store.runsDir())));
        }
        int recorded = 0;
        int replaced = 0;
        int failed = 0;
        try (HistoryStore s = store.openForWriting(out)) {
            RunRecorder recorder = new RunRecorder(Clock.systemUTC());
            for (Path d : dirs) {
                try {
                    RunLabels.write(d, given);
                    RunRecorder.Recorded r = recorder.record(s, RunDirectoryReader.read(d, Map.of()));
                    out.println((r.replaced() ? "replaced " : "recorded ") + r.runId() + ": " + r.series()
                            + " series, " + r.values() + " values");
                    r.notes().forEach(n -> out.println("  " + TerminalText.sanitize(n)));
                    recorded++;
                    replaced += r.replaced() ? 1 : 0;
                } catch (RunDirectoryException | HistoryStoreException | IOException e) {
                    failed++;
                    err.println("lb: " + TerminalText.sanitize(HistoryStore.oneLine(e)));
                }
            }
            // Once for all the runs: the series that runs recorded again or late left to be read from their rows.
            recorder.completePoints(s);
        } catch (HistoryStoreException e) {
            throw HistoryOptions.failed(e);
        }
        out.println(recorded + " run" + (recorded == 1 ? "" : "s") + " recorded (" + replaced + " replaced), "
                + skipped + " skipped, " + failed + " failed");
        out.flush();
        return failed > 0 ? ExitCode.FAILED : ExitCode.OK;
    }
}

package dev.lb.controller.cli;

import dev.lb.controller.ExitCode;
import dev.lb.controller.run.PastRuns;
import dev.lb.protocol.TerminalText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lb runs}: the past runs, newest first, so that no one has to find a run id in runs/ by hand. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "Lists the runs under --output-dir, newest first: id, name, start, duration, outcome, events"
                + " accepted, events lost. Any command that takes a run id also takes 'last' for the newest run.")
final class RunsCommand implements Callable<Integer> {
    private static final DateTimeFormatter START = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--output-dir", paramLabel = "DIR", defaultValue = "runs",
            description = LbCommand.RUNS_DIR_HELP)
    Path outputDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<PastRuns.Entry> runs = PastRuns.list(outputDir);
        if (runs.isEmpty()) {
            out.println("no runs under " + outputDir.toAbsolutePath());
            return ExitCode.OK;
        }
        out.println(String.format("%-28s %-24s %-19s %9s %8s %6s  %s", "RUN", "NAME", "STARTED", "DURATION", "EVENTS",
                "LOST", "OUTCOME"));
        for (PastRuns.Entry e : runs) {
            out.println(TerminalText.sanitize(String.format("%-28s %-24s %-19s %9s %8s %6s  %s", e.id(),
                    e.name() == null ? "-" : e.name(), START.format(Instant.ofEpochMilli(e.startedMillis())),
                    e.durationS() == null ? "-" : String.format("%.1f s", e.durationS()),
                    e.events() == null ? "-" : e.events().toString(), e.lost() == null ? "-" : e.lost().toString(),
                    e.outcome())));
        }
        return ExitCode.OK;
    }
}

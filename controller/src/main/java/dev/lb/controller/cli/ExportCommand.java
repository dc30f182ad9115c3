package dev.lb.controller.cli;

import dev.lb.controller.ExitCode;
import dev.lb.controller.config.RunConfig;
import dev.lb.controller.run.RunExport;
import dev.lb.controller.state.RunSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lb export RUN --to KIND=URL}: a finished run sent to Prometheus remote write, the Pushgateway or Loki. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Sends a finished run (its journal and summary.json) to monitoring: remote-write (Prometheus"
                + " .../api/v1/write), pushgateway (its base URL) or loki (.../loki/api/v1/push). Exit 0 when"
                + " everything was sent, 1 when something was dropped (counted per endpoint). See docs/export.md."})
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "A run id (under --output-dir), a run directory, or last.")
    String run;

    @Option(names = "--output-dir", paramLabel = "DIR", defaultValue = "runs", description = LbCommand.RUNS_DIR_HELP)
    Path outputDir;

    @Option(names = "--to", paramLabel = "KIND=URL", required = true, description = "Where to send it (repeatable).")
    List<String> to = new ArrayList<>();

    @Option(names = "--flush-s", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long sending may take after the journal is read (default: ${DEFAULT-VALUE}).")
    double flushS;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<RunConfig.Endpoint> endpoints = new ArrayList<>();
        for (String t : to) {
            try {
                endpoints.add(RunConfig.Export.parse(t));
            } catch (IllegalArgumentException e) {
                throw new LbException(ExitCode.USAGE, "--to: " + e.getMessage());
            }
        }
        if (!(flushS > 0 && flushS <= 3600)) {
            throw new LbException(ExitCode.USAGE, "--flush-s must be more than 0 and at most 3600");
        }
        Path dir = JournalCommand.runDir(run, outputDir);
        RunConfig.Export none = RunConfig.Export.NONE;
        // A finished run has no live ingest to protect: the queue holds it all, and sending may take longer.
        RunConfig.Export settings = new RunConfig.Export(List.copyOf(endpoints), 10_000_000, none.batchItems(),
                none.retryS(), flushS, true, null);
        RunExport.Outcome o;
        try {
            o = RunExport.send(dir, settings, m -> err.println("lb: " + m));
        } catch (IOException e) {
            throw new LbException(ExitCode.USAGE, "cannot export " + dir + ": " + e.getMessage());
        }
        out.println(o.events() + " events read from " + dir.resolve("journal.jsonl")
                + (o.unreadable() > 0 ? " (" + o.unreadable() + " records unreadable, skipped)" : ""));
        boolean dropped = false;
        for (RunSummary.Export a : o.accounts()) {
            out.println("  " + (a.dropped() > 0 ? "! " : "") + a.describe());
            dropped |= a.dropped() > 0;
        }
        out.flush();
        return dropped ? ExitCode.FAILED : ExitCode.OK;
    }
}

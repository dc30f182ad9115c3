package dev.lb.controller.cli;

import dev.lb.history.gate.HistoryControls;
import dev.lb.history.store.HistoryStore;
import dev.lb.history.store.HistoryStoreException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lb history exclude RUN --reason TEXT}. */
@Command(name = "exclude", mixinStandardHelpOptions = true,
        description = "Leaves a run out of trends, change points and the gate (it stays in the history, shown as"
                + " excluded with the reason). lb history include takes it back.",
        footer = {"", "Exit codes: 0 ok, 1 the run is not in the history or the store cannot be written, 2 usage."})
final class HistoryExcludeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    HistoryOptions store;

    @Parameters(paramLabel = "RUN", description = "The run id.")
    String run;

    @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "Why (shown beside the run).")
    String reason;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (HistoryStore s = store.openExisting(out)) {
            new HistoryControls(s, Clock.systemUTC()).exclude(run, reason);
            out.println("excluded " + run + ": " + reason);
            return 0;
        } catch (HistoryStoreException e) {
            throw HistoryOptions.failed(e);
        } finally {
            out.flush();
        }
    }
}

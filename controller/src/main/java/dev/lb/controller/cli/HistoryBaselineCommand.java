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

/** {@code lb history baseline --from RUN}. */
@Command(name = "baseline", mixinStandardHelpOptions = true,
        description = "Accepts a run's level as the new normal for each of its series: lb history check then compares"
                + " with this run and the runs after it, and ignores what came before (the way to accept a change"
                + " for the worse that is intended).",
        footer = {"", "Exit codes: 0 ok, 1 the run is not in the history or the store cannot be written, 2 usage."})
final class HistoryBaselineCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    HistoryOptions store;

    @Option(names = "--from", paramLabel = "RUN", required = true, description = "The run id the baseline starts at.")
    String run;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (HistoryStore s = store.openExisting(out)) {
            int n = new HistoryControls(s, Clock.systemUTC()).baseline(run);
            out.println("baseline of " + n + " series now starts at " + run);
            return 0;
        } catch (HistoryStoreException e) {
            throw HistoryOptions.failed(e);
        } finally {
            out.flush();
        }
    }
}

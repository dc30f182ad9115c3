package dev.lb.controller.cli;

import dev.lb.history.gate.HistoryControls;
import dev.lb.history.store.HistoryStore;
import dev.lb.history.store.HistoryStoreException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lb history include RUN}: undoes exclude. */
@Command(name = "include", mixinStandardHelpOptions = true,
        description = "Takes an excluded run back into trends, change points and the gate.",
        footer = {"", "Exit codes: 0 ok, 1 the run is not in the history or the store cannot be written, 2 usage."})
final class HistoryIncludeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    HistoryOptions store;

    @Parameters(paramLabel = "RUN", description = "The run id.")
    String run;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (HistoryStore s = store.openExisting(out)) {
            boolean was = new HistoryControls(s, Clock.systemUTC()).include(run);
            out.println(was ? "included " + run : run + " was not excluded");
            return 0;
        } catch (HistoryStoreException e) {
            throw HistoryOptions.failed(e);
        } finally {
            out.flush();
        }
    }
}

package dev.lb.controller.cli;

import dev.lb.controller.ExitCode;
import dev.lb.controller.ansible.AnsibleLocator;
import dev.lb.controller.ansible.Installation;
import dev.lb.controller.run.RecoverPipeline;
import dev.lb.controller.run.RunLock;
import dev.lb.controller.run.RunRecord;
import dev.lb.controller.run.StopSignal;
import dev.lb.controller.state.RunSummary;
import dev.lb.controller.view.Views;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lb recover}: finishes a run whose controller ended before finishing it. */
@Command(name = "recover", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Finishes a run whose controller ended before it could (killed, a second Ctrl-C): stops what of the run"
                    + " still runs on the targets, collects their stream files (the source of truth), journals every"
                    + " event not journalled yet (path 'recovered'), checks every repetition against its seal and"
                    + " writes summary.json. Safe to repeat: nothing is journalled twice.",
            ""},
        footer = {"", "Exit codes: as lb run: 0 all done and complete, 1 a repetition did not end done, 2 usage,"
                + " 3 events lost or completeness cannot be shown, 130 interrupted."})
final class RecoverCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    JournalCommand.RunRef ref;

    @Option(names = "--output", paramLabel = "MODE", defaultValue = "plain",
            description = "plain or json (default: ${DEFAULT-VALUE}).")
    String output;

    @Option(names = "--history-url", paramLabel = "URL",
            description = "The history store the run is recorded in (default: $LB_HISTORY_URL when set, else"
                    + " history.db in the runs directory).")
    String historyUrl;

    @Option(names = "--no-history", description = "Do not record the run in the history.")
    boolean noHistory;

    /**
     * Recover sends nothing to monitoring, on purpose: the run's endpoints are not kept in its directory (they may
     * come from {@code --export} flags, and URLs can carry credentials), and what the ended controller had sent is
     * unknown, so only the whole run sent again is complete, which is what {@code lb export} does (with its own
     * flush time and exit code). The note names it.
     */
    static String exportNote(String runId) {
        return "lb: recover sends nothing to monitoring; if the run exported while it ran, send it whole with `lb export "
                + runId + " --to KIND=URL` (KIND remote-write, pushgateway or loki; see docs/export.md)";
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!output.matches("plain|json")) {
            throw new LbException(ExitCode.USAGE, "--output must be plain or json, not '" + output + "'");
        }
        Path dir = ref.dir();
        if (!Files.exists(dir.resolve(RunRecord.FILE))) {
            throw new LbException(ExitCode.USAGE, dir + " has no " + RunRecord.FILE + ": not a run directory of this"
                    + " version of lb");
        }
        Installation install = Installation.locate(System.getenv("LB_HOME"));
        if (install.problem() != null) {
            throw new LbException(ExitCode.USAGE, install.problem());
        }
        Path ansible = AnsibleLocator.find(System.getenv("PATH")).orElseThrow(() -> new LbException(ExitCode.USAGE,
                "ansible-playbook not found; install it first: " + AnsibleLocator.INSTALL_HINT));
        StopSignal stop = new StopSignal();
        SignalBridge.install(stop);
        try {
            RunSummary summary = new RecoverPipeline(install, ansible, stop, Clock.systemUTC())
                    .recover(dir, info -> Views.forRun(output, out, err, false, () -> stop.request("q pressed")));
            if (stop.requests() > 0) {
                return ExitCode.INTERRUPTED;
            }
            if (!summary.isUnfinished()) {
                // As at the end of lb run: results.json written, then the run recorded; neither changes the code.
                PrintWriter to = output.equals("json") ? err : out;
                RunCommand.showResults(dir, dev.lb.controller.analysis.NoiseNotes.of(summary), to, err);
                if (!noHistory) {
                    RunHistoryAtEnd.record(dir, Map.of(), historyUrl,
                            dev.lb.controller.history.HistorySettings.NONE, dir.toAbsolutePath().getParent(), to, err);
                }
                to.println(exportNote(summary.runId()));
            }
            return summary.exitCode();
        } catch (RunLock.InUse e) {
            throw new LbException(ExitCode.USAGE, e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new LbException(ExitCode.INCOMPLETE, "the recovery could not go on: " + e.getMessage(), e);
        }
    }
}

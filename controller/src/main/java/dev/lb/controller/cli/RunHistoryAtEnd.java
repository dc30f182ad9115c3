package dev.lb.controller.cli;

import dev.lb.controller.ExitCode;
import dev.lb.controller.history.HistorySettings;
import dev.lb.controller.history.RunHistory;
import dev.lb.history.gate.Gate;
import dev.lb.history.gate.GateSettings;
import dev.lb.history.gate.SeriesVerdict;
import dev.lb.history.record.RunLabels;
import dev.lb.history.store.HistoryStore;
import dev.lb.history.store.HistoryStoreException;
import dev.lb.history.store.StoreLocation;
import dev.lb.protocol.TerminalText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The end of lb run and lb recover: the run recorded in the history. Its outcome is printed, never returned: the
 * exit code is the run's (see the exit-code table: recording never changes it).
 */
final class RunHistoryAtEnd {
    private RunHistoryAtEnd() {
    }

    /**
     * The config's labels, then --label key=value (the same key: the command line's value), checked before the run
     * starts (a typo is a usage error, not a lost label).
     */
    static Map<String, String> labels(HistorySettings settings, List<String> given) {
        Map<String, String> out = new LinkedHashMap<>(settings.labels());
        for (String l : given) {
            try {
                var e = RunLabels.parse(l);
                out.put(e.getKey(), e.getValue());
            } catch (IllegalArgumentException e) {
                throw new LbException(ExitCode.USAGE, "--label: " + e.getMessage());
            }
        }
        return out;
    }

    /** Returns the store the run was recorded in, or null after a warning. */
    static StoreLocation record(Path runDir, Map<String, String> labels, String url, HistorySettings settings,
                                Path runsDir, PrintWriter out, PrintWriter err) {
        StoreLocation store;
        try {
            store = StoreLocation.select(url, Map.of(), settings.url(), runsDir);
        } catch (HistoryStoreException e) {
            err.println("lb: warning: the run was not recorded in the history: " + TerminalText.sanitize(
                    e.getMessage()) + "; lb history import " + runDir + " --history-url URL adds it");
            err.flush();
            return null;
        }
        return new RunHistory(Clock.systemUTC()).record(runDir, labels, store, out, err).isPresent() ? store : null;
    }

    /**
     * {@code lb run --history-check}: the gate on the run just recorded, with the defaults of lb history check. As the
     * exit-code table says: 4 when the run was otherwise 0 and a primary metric regressed; 1 when the check could not
     * read the store (unless the run already exits 1 or 3); otherwise the run's own code.
     */
    static int check(int runCode, Path runDir, StoreLocation store, HistorySettings history, PrintWriter out,
                     PrintWriter err) {
        if (store == null) {
            err.println("lb: --history-check: the run is not in the history, so it was not checked");
            err.flush();
            return runCode == ExitCode.OK ? ExitCode.FAILED : runCode;
        }
        String runId = runDir.getFileName().toString();
        try (HistoryStore s = HistoryStore.openForReading(store)) {
            GateSettings settings = new GateSettings(GateSettings.DEFAULT.last(), history.minChange() != null
                    ? history.minChange() : GateSettings.DEFAULT.minChange(), GateSettings.DEFAULT.alpha(), false);
            List<SeriesVerdict> verdicts = new Gate(s, Clock.systemUTC()).check(runId, settings);
            int code = HistoryCheckCommand.exitCode(verdicts, settings);
            out.println();
            HistoryCheckCommand.text(runId, verdicts, code).forEach(l -> out.println(TerminalText.sanitize(l)));
            return runCode == ExitCode.OK && code == ExitCode.REGRESSION ? ExitCode.REGRESSION : runCode;
        } catch (HistoryStoreException e) {
            err.println("lb: --history-check: " + TerminalText.sanitize(e.getMessage()));
            return runCode == ExitCode.OK ? ExitCode.FAILED : runCode;
        } finally {
            out.flush();
            err.flush();
        }
    }
}

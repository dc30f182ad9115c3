package dev.lb.controller.cli;

import dev.lb.controller.ExitCode;
import dev.lb.controller.history.HistorySettings;
import dev.lb.controller.history.RunHistory;
import dev.lb.history.record.RunLabels;
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

    /** --label key=value, checked before the run starts (a typo is a usage error, not a lost label). */
    static Map<String, String> labels(List<String> given) {
        Map<String, String> out = new LinkedHashMap<>(HistorySettings.NONE.labels());
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

    static void record(Path runDir, Map<String, String> labels, String url, Path runsDir, PrintWriter out,
                       PrintWriter err) {
        StoreLocation store;
        try {
            store = StoreLocation.select(url, Map.of(), HistorySettings.NONE.url(), runsDir);
        } catch (HistoryStoreException e) {
            err.println("lb: warning: the run was not recorded in the history: " + TerminalText.sanitize(
                    e.getMessage()) + "; lb history import " + runDir + " --history-url URL adds it");
            err.flush();
            return;
        }
        new RunHistory(Clock.systemUTC()).record(runDir, labels, store, out, err);
    }
}

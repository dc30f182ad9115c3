package dev.lb.controller.history;

import dev.lb.history.record.RunDirectoryException;
import dev.lb.history.record.RunDirectoryReader;
import dev.lb.history.record.RunLabels;
import dev.lb.history.record.RunRecorder;
import dev.lb.history.store.HistoryStore;
import dev.lb.history.store.HistoryStoreException;
import dev.lb.history.store.StoreLocation;
import dev.lb.protocol.TerminalText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Records a finished run (lb run, lb recover) in the history. Recording never decides a run's exit code: a store
 * that is down, locked, full, foreign or newer is one warning line that names the command adding the run later.
 */
public final class RunHistory {
    private final Clock clock;

    public RunHistory(Clock clock) {
        this.clock = clock;
    }

    /**
     * The run's labels kept in its run directory (labels.json) without recording it ({@code lb run --no-history}),
     * so that a later {@code lb history import} records them; a failure is one warning line (the run's exit code
     * stays). Returns whether they were written.
     */
    public static boolean keepLabels(Path runDir, Map<String, String> labels, PrintWriter err) {
        try {
            RunLabels.write(runDir, labels);
            return true;
        } catch (RunDirectoryException | IOException e) {
            err.println("lb: warning: the run's labels were not written to " + runDir.resolve(RunLabels.FILE) + ": "
                    + TerminalText.sanitize(HistoryStore.oneLine(e)) + "; lb history import " + runDir
                    + " --label KEY=VALUE gives them when it is recorded");
            return false;
        } finally {
            err.flush();
        }
    }

    /** Returns what was recorded, or empty after a warning on {@code err}. */
    public Optional<RunRecorder.Recorded> record(Path runDir, Map<String, String> labels, StoreLocation store,
                                                 PrintWriter out, PrintWriter err) {
        String later = "lb history import " + runDir + (store.source().equals("the runs directory") ? ""
                : " --history-url " + store.shown());
        try {
            RunLabels.write(runDir, labels);
            var run = RunDirectoryReader.read(runDir, Map.of());
            try (HistoryStore s = HistoryStore.openForWriting(store)) {
                RunRecorder recorder = new RunRecorder(clock);
                RunRecorder.Recorded r = recorder.record(s, run);
                recorder.completePoints(s);
                out.println("(history: run " + r.runId() + " recorded in " + store.shown() + ", " + r.series()
                        + " series)");
                r.notes().forEach(n -> out.println("history: " + TerminalText.sanitize(n)));
                return Optional.of(r);
            }
        } catch (HistoryStoreException | RunDirectoryException | IOException e) {
            err.println("lb: warning: the run was not recorded in the history: "
                    + TerminalText.sanitize(HistoryStore.oneLine(e)) + "; " + later + " adds it");
            return Optional.empty();
        } catch (RuntimeException e) {
            // A bug of ours must not turn a finished benchmark into a failed one either; said, with what to do.
            err.println("lb: warning: the run was not recorded in the history (internal error: "
                    + TerminalText.sanitize(e.toString()) + "); " + later + " adds it");
            return Optional.empty();
        } finally {
            out.flush();
            err.flush();
        }
    }
}

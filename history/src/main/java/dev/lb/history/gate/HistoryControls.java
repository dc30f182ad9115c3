package dev.lb.history.gate;

import dev.lb.history.query.HistoryQueries;
import dev.lb.history.store.HistoryStore;
import dev.lb.history.store.HistoryStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;

/**
 * The user's decisions about the history: a run excluded from trends and the gate (with why), or included again;
 * a run made the baseline of each of its series (the gate ignores what came before it). They are kept apart from
 * the run's rows, so recording the run again keeps them.
 */
public final class HistoryControls {
    private final HistoryStore store;
    private final Clock clock;

    public HistoryControls(HistoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public void exclude(String runId, String reason) throws HistoryStoreException {
        requireRun(runId);
        run("DELETE FROM run_exclusions WHERE run_id = ?", runId);
        run("INSERT INTO run_exclusions (run_id, reason, excluded_at) VALUES (?, ?, ?)", runId, reason,
                clock.millis() / 1000.0);
    }

    /** Returns whether the run was excluded. */
    public boolean include(String runId) throws HistoryStoreException {
        requireRun(runId);
        return run("DELETE FROM run_exclusions WHERE run_id = ?", runId) > 0;
    }

    /** Returns the number of series whose baseline is now this run. */
    public int baseline(String runId) throws HistoryStoreException {
        requireRun(runId);
        var series = new HistoryQueries(store).ofRun(runId).keySet();
        for (var s : series) {
            run("DELETE FROM baselines WHERE series_id = ?", s.seriesId());
            run("INSERT INTO baselines (series_id, run_id, set_at) VALUES (?, ?, ?)", s.seriesId(), runId,
                    clock.millis() / 1000.0);
        }
        return series.size();
    }

    private void requireRun(String runId) throws HistoryStoreException {
        if (!new HistoryQueries(store).runExists(runId)) {
            throw new HistoryStoreException("run " + runId + " is not in the history " + store.location().shown()
                    + " (lb history import adds a run directory)");
        }
    }

    private int run(String sql, Object... args) throws HistoryStoreException {
        Connection c = store.connection();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            return p.executeUpdate();
        } catch (SQLException e) {
            throw new HistoryStoreException("cannot write to the history store " + store.location().shown() + ": "
                    + HistoryStore.oneLine(e), e);
        }
    }
}

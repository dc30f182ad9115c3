package dev.lb.history.gate;

import dev.lb.history.query.HistoryQueries;
import dev.lb.history.query.RunPoint;
import dev.lb.history.query.Series;
import dev.lb.history.store.HistoryStore;
import dev.lb.history.store.HistoryStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code lb history check}: is a run's value worse than its history says a run's value can be?
 *
 * <p>The unit of evidence is the run: each earlier run contributes one value, the mean of its counted repetitions,
 * because repetitions of one run share its conditions and pooling them would understate the noise between runs. The
 * earlier runs are the last N not excluded, after the series' baseline ({@code lb history baseline}) or its last
 * change point for the better, whichever is later, and before the first change point for the worse after that: a
 * change for the worse never moves the start, and the runs after it are not the accepted level, so a regression is
 * never accepted by itself (only {@code lb history baseline} accepts it). The run is a regression when its value lies outside the one-sided prediction interval
 * {@code mean ± t(1 − alpha, N − 1) · s · sqrt(1 + 1/N)} on the worse side and differs from the mean by at least
 * the minimum change. Each verdict is stored with the run, with the interval and the baseline it used.
 */
public final class Gate {
    private final HistoryStore store;
    private final HistoryQueries queries;
    private final Clock clock;

    public Gate(HistoryStore store, Clock clock) {
        this.store = store;
        this.queries = new HistoryQueries(store);
        this.clock = clock;
    }

    public List<SeriesVerdict> check(String runId, GateSettings settings) throws HistoryStoreException {
        List<SeriesVerdict> out = new ArrayList<>();
        // Three statements for all of the run's series (its points, every series' runs up to it, the baselines),
        // not three per series.
        Map<String, List<RunPoint>> upTo = queries.meansUpTo(runId);
        Map<String, String> baselines = queries.baselinesOfRun(runId);
        for (Map.Entry<Series, RunPoint> e : queries.ofRun(runId).entrySet()) {
            String id = e.getKey().seriesId();
            out.add(verdict(e.getKey(), e.getValue(), upTo.getOrDefault(id, List.of()), baselines.get(id),
                    settings));
        }
        save(runId, out, settings);
        return out;
    }

    /** {@code all}: the series' runs up to and including {@code run}, in time order. */
    private static SeriesVerdict verdict(Series s, RunPoint run, List<RunPoint> all, String baseline,
                                         GateSettings settings) {
        int at = indexOf(all, run.runId());
        List<RunPoint> before = new ArrayList<>();
        String startsAfter = null;
        for (int i = 0; i < at; i++) {
            RunPoint p = all.get(i);
            if (p.runId().equals(baseline)) {
                before.clear();
                startsAfter = "baseline " + p.runId();
            }
            if (!p.excluded()) {
                before.add(p);
            }
        }
        GateDecision.Decision d = GateDecision.decide(before.stream().map(RunPoint::runId).toList(),
                before.stream().mapToDouble(RunPoint::mean).toArray(), run.mean(), s.metric(), s.direction(),
                settings, startsAfter);
        return new SeriesVerdict(s, d.kind(), run.mean(), d.earlierRuns(), d.earlierMean(), d.lower(), d.upper(),
                d.changePercent(), d.startsAfter(), d.why(), d.minChangePercent());
    }

    private static int indexOf(List<RunPoint> points, String runId) {
        for (int i = 0; i < points.size(); i++) {
            if (points.get(i).runId().equals(runId)) {
                return i;
            }
        }
        throw new IllegalStateException("run " + runId + " is not among its own series' runs");
    }

    private void save(String runId, List<SeriesVerdict> verdicts, GateSettings settings)
            throws HistoryStoreException {
        Connection c = store.connection();
        try {
            c.setAutoCommit(false);
            try (PreparedStatement del = c.prepareStatement("DELETE FROM checks WHERE run_id = ?");
                 PreparedStatement ins = c.prepareStatement("INSERT INTO checks (run_id, series_id, verdict, value, "
                         + "earlier_runs, earlier_mean, lower_bound, upper_bound, alpha, min_change, baseline_run, "
                         + "checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                del.setString(1, runId);
                del.executeUpdate();
                for (SeriesVerdict v : verdicts) {
                    ins.setString(1, runId);
                    ins.setString(2, v.series().seriesId());
                    ins.setString(3, v.kind().label());
                    ins.setDouble(4, v.value());
                    ins.setInt(5, v.earlierRuns());
                    setDouble(ins, 6, v.earlierMean());
                    setDouble(ins, 7, v.lower());
                    setDouble(ins, 8, v.upper());
                    ins.setDouble(9, settings.alpha());
                    ins.setDouble(10, v.minChangePercent());
                    ins.setString(11, v.startsAfter());
                    ins.setDouble(12, clock.millis() / 1000.0);
                    ins.addBatch();
                }
                ins.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new HistoryStoreException("cannot store the check of run " + runId + " in "
                    + store.location().shown() + ": " + HistoryStore.oneLine(e), e);
        }
    }

    private static void setDouble(PreparedStatement p, int i, Double v) throws SQLException {
        if (v == null) {
            p.setNull(i, Types.DOUBLE);
        } else {
            p.setDouble(i, v);
        }
    }
}

package dev.lb.history.gate;

import dev.lb.history.changepoint.ChangePoint;
import dev.lb.history.changepoint.EDivisiveMeans;
import dev.lb.history.query.HistoryQueries;
import dev.lb.history.query.RunPoint;
import dev.lb.history.query.Series;
import dev.lb.history.query.SeriesFilter;
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
import org.apache.commons.statistics.distribution.TDistribution;

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
        for (Map.Entry<Series, RunPoint> e : queries.ofRun(runId).entrySet()) {
            out.add(verdict(e.getKey(), e.getValue(), settings));
        }
        save(runId, out, settings);
        return out;
    }

    private SeriesVerdict verdict(Series s, RunPoint run, GateSettings settings) throws HistoryStoreException {
        List<RunPoint> all = queries.points(s.seriesId(), SeriesFilter.ALL);
        int at = indexOf(all, run.runId());
        List<RunPoint> before = new ArrayList<>();
        String baseline = queries.baseline(s.seriesId());
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
        // The last change point for the better among the earlier runs starts the comparison afresh. A change point
        // for the worse after it ends the runs compared with: the level before the step for the worse is the last
        // accepted one, so a regression is flagged on every run until it is fixed or a baseline accepts it.
        double[] values = before.stream().mapToDouble(RunPoint::mean).toArray();
        List<ChangePoint> cps = EDivisiveMeans.DEFAULT.find(values);
        int from = 0;
        for (int i = cps.size() - 1; i >= 0; i--) {
            ChangePoint cp = cps.get(i);
            if (better(s.direction(), cp.meanAfter() - cp.meanBefore())) {
                startsAfter = "change point for the better before " + before.get(cp.index()).runId();
                from = cp.index();
                break;
            }
        }
        int to = before.size();
        for (ChangePoint cp : cps) {
            if (cp.index() > from && !better(s.direction(), cp.meanAfter() - cp.meanBefore())
                    && !"none".equals(s.direction())) {
                to = cp.index();
                startsAfter = (startsAfter == null ? "" : startsAfter + "; ") + "ends before the change point for the "
                        + "worse at " + before.get(cp.index()).runId();
                break;
            }
        }
        before = new ArrayList<>(before.subList(from, to));
        if (before.size() > settings.last()) {
            before = before.subList(before.size() - settings.last(), before.size());
        }
        int n = before.size();
        if (n < GateSettings.MIN_RUNS) {
            return new SeriesVerdict(s, SeriesVerdict.Kind.NOT_ENOUGH_HISTORY, run.mean(), n, null, null, null, null,
                    startsAfter, "not enough history: " + n + " earlier run" + (n == 1 ? "" : "s") + ", "
                    + GateSettings.MIN_RUNS + " needed");
        }
        double mean = before.stream().mapToDouble(RunPoint::mean).average().orElseThrow();
        double ss = before.stream().mapToDouble(p -> (p.mean() - mean) * (p.mean() - mean)).sum();
        double sd = Math.sqrt(ss / (n - 1));
        double t = TDistribution.of(n - 1).inverseSurvivalProbability(settings.alpha());
        double half = t * sd * Math.sqrt(1 + 1.0 / n);
        double lower = mean - half;
        double upper = mean + half;
        double change = mean == 0 ? 0 : (run.mean() - mean) / Math.abs(mean) * 100;
        boolean outside = run.mean() < lower || run.mean() > upper;
        boolean large = Math.abs(change) >= settings.minChangePercent();
        SeriesVerdict.Kind kind;
        if (!outside || !large) {
            kind = SeriesVerdict.Kind.WITHIN;
        } else if ("none".equals(s.direction())) {
            kind = SeriesVerdict.Kind.CHANGED;
        } else {
            kind = better(s.direction(), run.mean() - mean) ? SeriesVerdict.Kind.IMPROVEMENT
                    : SeriesVerdict.Kind.REGRESSION;
        }
        String why = String.format(java.util.Locale.ROOT, "%+.2f %% against the mean of %d earlier runs; interval "
                        + "[%.6g, %.6g] at alpha %s; minimum change %s %%", change, n, lower, upper,
                settings.alpha(), settings.minChangePercent());
        return new SeriesVerdict(s, kind, run.mean(), n, mean, lower, upper, change, startsAfter, why);
    }

    static boolean better(String direction, double delta) {
        return switch (direction) {
            case "higher_is_better" -> delta > 0;
            case "lower_is_better" -> delta < 0;
            default -> false;
        };
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
                    ins.setDouble(10, settings.minChangePercent());
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

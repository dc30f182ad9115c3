package dev.lb.history.query;

import dev.lb.history.store.HistoryStore;
import dev.lb.history.store.HistoryStoreException;
import dev.lb.history.store.SeriesPoints;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads series and their runs from a store. Runs come in time order (start, then run id). */
public final class HistoryQueries {
    private final HistoryStore store;

    public HistoryQueries(HistoryStore store) {
        this.store = store;
    }

    /** The series matching the filter's host, workload and metric, ordered by host, workload, metric. */
    public List<Series> series(SeriesFilter f) throws HistoryStoreException {
        String sql = "SELECT s.series_id, h.alias, h.fingerprint, w.name, w.definition_hash, s.metric, s.unit, "
                + "s.direction, s.is_primary FROM series s JOIN hosts h ON h.host_id = s.host_id JOIN workloads w ON "
                + "w.workload_id = s.workload_id WHERE (? IS NULL OR h.alias = ?) AND (? IS NULL OR w.name = ?) AND "
                + "(? IS NULL OR s.metric = ?) AND EXISTS (SELECT 1 FROM run_series rs WHERE rs.series_id = "
                + "s.series_id) ORDER BY h.alias, w.name, s.metric, s.unit, h.fingerprint, w.definition_hash";
        List<Series> out = new ArrayList<>();
        try (PreparedStatement p = store.connection().prepareStatement(sql)) {
            int i = 1;
            for (String v : new String[] {f.host(), f.workload(), f.metric()}) {
                p.setString(i++, v);
                p.setString(i++, v);
            }
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Series(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                            r.getString(5), r.getString(6), r.getString(7),
                            r.getString(8) == null ? "none" : r.getString(8), r.getInt(9) == 1));
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return out;
    }

    /** The runs of one series that match the filter's labels and since, in time order, with labels and values. */
    public List<RunPoint> points(String seriesId, SeriesFilter f) throws HistoryStoreException {
        return points(seriesId, f, true);
    }

    /**
     * The same runs with only what trends, change points and the gate read (mean, spread, exclusion): no labels and
     * no repetition values unless the filter asks for labels. At 10,000 runs a series this is what keeps lb history
     * and the gate under a second.
     */
    public List<RunPoint> means(String seriesId, SeriesFilter f) throws HistoryStoreException {
        return points(seriesId, f, !f.labels().isEmpty());
    }

    /**
     * Every series matching the filter with its runs as {@link #means} gives them, in the order of {@link #series}.
     * Each series' runs come from its packed points ({@link SeriesPoints}, a few values per series) rather than its
     * run_series rows (500,000 rows at 10,000 runs × 50 series were most of lb history's time); the exclusions (a
     * short table) are read once and matched in memory. A filter on labels reads each series' labels as
     * {@link #means} does.
     */
    public Map<Series, List<RunPoint>> meansBySeries(SeriesFilter f) throws HistoryStoreException {
        List<Series> series = series(f);
        Map<Series, List<RunPoint>> out = new LinkedHashMap<>();
        if (!f.labels().isEmpty()) {
            for (Series s : series) {
                out.put(s, means(s.seriesId(), f));
            }
            return out;
        }
        try {
            Map<String, String> excluded = exclusions();
            for (Series s : series) {
                List<RunPoint> points = new ArrayList<>();
                for (SeriesPoints.Point p : stored(s.seriesId())) {
                    if (f.since() == null || p.startedAt() >= f.since()) {
                        points.add(point(p, excluded));
                    }
                }
                out.put(s, List.copyOf(points));
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return out;
    }

    /**
     * For each series of a run (by id): its runs up to and including that run in time order, as {@link #means}
     * gives them; what the gate reads, from the series' packed points.
     */
    public Map<String, List<RunPoint>> meansUpTo(String runId) throws HistoryStoreException {
        Map<String, List<RunPoint>> out = new LinkedHashMap<>();
        try {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement p = store.connection().prepareStatement(
                    "SELECT series_id FROM run_series WHERE run_id = ? ORDER BY series_id")) {
                p.setString(1, runId);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        ids.add(r.getString(1));
                    }
                }
            }
            Map<String, String> excluded = exclusions();
            for (String id : ids) {
                List<RunPoint> points = new ArrayList<>();
                for (SeriesPoints.Point p : stored(id)) {
                    points.add(point(p, excluded));
                    if (p.runId().equals(runId)) {
                        break;
                    }
                }
                out.put(id, List.copyOf(points));
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return out;
    }

    /** A series' packed points, or its rows when it has none (a store whose points are not filled in). */
    private List<SeriesPoints.Point> stored(String seriesId) throws SQLException {
        List<SeriesPoints.Point> points = SeriesPoints.read(store.connection(), seriesId);
        return points != null ? points : SeriesPoints.fromRows(store.connection(), seriesId);
    }

    private static RunPoint point(SeriesPoints.Point p, Map<String, String> excluded) {
        return new RunPoint(p.runId(), p.startedAt() == 0 ? null : p.startedAt(), p.n(), p.mean(), p.stdev(),
                p.min(), p.max(), excluded.get(p.runId()), Map.of(), List.of());
    }

    /** The baselines ({@code lb history baseline}) of a run's series: series id to the baseline's run. */
    public Map<String, String> baselinesOfRun(String runId) throws HistoryStoreException {
        Map<String, String> out = new HashMap<>();
        try (PreparedStatement p = store.connection().prepareStatement("SELECT b.series_id, b.run_id FROM baselines "
                + "b JOIN run_series me ON me.series_id = b.series_id WHERE me.run_id = ?")) {
            p.setString(1, runId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getString(2));
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return out;
    }

    /** Excluded runs and why: a short table, read whole. */
    private Map<String, String> exclusions() throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (PreparedStatement p = store.connection().prepareStatement("SELECT run_id, reason FROM run_exclusions");
             ResultSet r = p.executeQuery()) {
            while (r.next()) {
                out.put(r.getString(1), r.getString(2));
            }
        }
        return out;
    }

    private static void setSince(PreparedStatement p, int i, SeriesFilter f) throws SQLException {
        if (f.since() == null) {
            p.setNull(i, java.sql.Types.DOUBLE);
            p.setNull(i + 1, java.sql.Types.DOUBLE);
        } else {
            p.setDouble(i, f.since());
            p.setDouble(i + 1, f.since());
        }
    }

    /** A run's start; 0 is how a run without a known start is stored (it sorts first on both databases). */
    private static Double started(ResultSet r, int column) throws SQLException {
        Double started = number(r, column);
        return started != null && started == 0 ? null : started;
    }

    private List<RunPoint> points(String seriesId, SeriesFilter f, boolean details) throws HistoryStoreException {
        String sql = "SELECT rs.run_id, rs.started_at, rs.n, rs.mean, rs.stdev, rs.min_value, rs.max_value, "
                + "x.reason FROM run_series rs LEFT JOIN run_exclusions x ON x.run_id = rs.run_id "
                + "WHERE rs.series_id = ? AND (? IS NULL OR rs.started_at >= ?) ORDER BY rs.started_at, rs.run_id";
        Connection c = store.connection();
        Map<String, RunPoint> byRun = new LinkedHashMap<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, seriesId);
            setSince(p, 2, f);
            Map<String, Map<String, String>> labels = details ? labels(seriesId) : Map.of();
            Map<String, List<Double>> values = details ? values(seriesId) : Map.of();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    String run = r.getString(1);
                    Map<String, String> l = labels.getOrDefault(run, Map.of());
                    if (!l.entrySet().containsAll(f.labels().entrySet())) {
                        continue;
                    }
                    byRun.put(run, new RunPoint(run, started(r, 2), r.getInt(3), r.getDouble(4), number(r, 5),
                            number(r, 6), number(r, 7), r.getString(8), l, values.getOrDefault(run, List.of())));
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return List.copyOf(byRun.values());
    }

    /** The series of one run (with the direction and role this run recorded), with its point in each. */
    public Map<Series, RunPoint> ofRun(String runId) throws HistoryStoreException {
        Map<Series, RunPoint> out = new LinkedHashMap<>();
        String sql = "SELECT s.series_id, h.alias, h.fingerprint, w.name, w.definition_hash, s.metric, s.unit, "
                + "rs.direction, rs.is_primary, rs.started_at, rs.n, rs.mean, rs.stdev, rs.min_value, rs.max_value, "
                + "x.reason FROM run_series rs JOIN runs r ON r.run_id = rs.run_id JOIN series s ON s.series_id = "
                + "rs.series_id JOIN hosts h ON h.host_id = s.host_id JOIN workloads w ON w.workload_id = "
                + "s.workload_id LEFT JOIN run_exclusions x ON x.run_id = rs.run_id WHERE rs.run_id = ? "
                + "ORDER BY h.alias, w.name, s.metric, s.unit";
        try (PreparedStatement p = store.connection().prepareStatement(sql)) {
            p.setString(1, runId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    Series s = new Series(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                            r.getString(5), r.getString(6), r.getString(7), r.getString(8), r.getInt(9) == 1);
                    out.put(s, new RunPoint(runId, number(r, 10), r.getInt(11), r.getDouble(12), number(r, 13),
                            number(r, 14), number(r, 15), r.getString(16), Map.of(), List.of()));
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return out;
    }

    /** The gate verdicts stored for a series' runs, in the runs' time order. */
    public List<StoredCheck> checks(String seriesId) throws HistoryStoreException {
        List<StoredCheck> out = new ArrayList<>();
        try (PreparedStatement p = store.connection().prepareStatement("SELECT c.run_id, c.verdict, c.value, "
                + "c.earlier_runs, c.earlier_mean, c.lower_bound, c.upper_bound FROM checks c JOIN run_series rs ON "
                + "rs.run_id = c.run_id AND rs.series_id = c.series_id WHERE c.series_id = ? "
                + "ORDER BY rs.started_at, rs.run_id")) {
            p.setString(1, seriesId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new StoredCheck(r.getString(1), r.getString(2), r.getDouble(3), r.getInt(4),
                            number(r, 5), number(r, 6), number(r, 7)));
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return out;
    }

    public boolean runExists(String runId) throws HistoryStoreException {
        try (PreparedStatement p = store.connection().prepareStatement("SELECT 1 FROM runs WHERE run_id = ?")) {
            p.setString(1, runId);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** The run that a series' gate starts after ({@code lb history baseline}), or null. */
    public String baseline(String seriesId) throws HistoryStoreException {
        try (PreparedStatement p = store.connection().prepareStatement(
                "SELECT run_id FROM baselines WHERE series_id = ?")) {
            p.setString(1, seriesId);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private Map<String, Map<String, String>> labels(String seriesId) throws SQLException {
        Map<String, Map<String, String>> out = new HashMap<>();
        try (PreparedStatement p = store.connection().prepareStatement("SELECT l.run_id, l.name, l.value FROM "
                + "run_labels l JOIN run_series rs ON rs.run_id = l.run_id WHERE rs.series_id = ?")) {
            p.setString(1, seriesId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.computeIfAbsent(r.getString(1), k -> new TreeMap<>()).put(r.getString(2), r.getString(3));
                }
            }
        }
        return out;
    }

    private Map<String, List<Double>> values(String seriesId) throws SQLException {
        Map<String, List<Double>> out = new HashMap<>();
        try (PreparedStatement p = store.connection().prepareStatement("SELECT run_id, value FROM repetition_values "
                + "WHERE series_id = ? ORDER BY run_id, repetition")) {
            p.setString(1, seriesId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(r.getDouble(2));
                }
            }
        }
        return out;
    }

    private static Double number(ResultSet r, int column) throws SQLException {
        double v = r.getDouble(column);
        return r.wasNull() ? null : v;
    }

    private HistoryStoreException failed(SQLException e) {
        return new HistoryStoreException("cannot read the history store " + store.location().shown() + ": "
                + HistoryStore.oneLine(e), e);
    }
}

package dev.lb.history.record;

import dev.lb.history.store.HistoryStore;
import dev.lb.history.store.HistoryStoreException;
import dev.lb.history.store.SeriesPoints;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a run into a store, in one transaction: a run recorded again is replaced whole (its rows cascade from the
 * run's), never half-written, never twice. A series that starts because another machine answers to a host's alias,
 * or because a workload's definition changed, is said in the result's notes.
 */
public final class RunRecorder {
    /** What recording did: whether the run was there before, the counts, and the notes to tell the user. */
    public record Recorded(String runId, boolean replaced, int series, int values, List<String> notes) {
        public Recorded {
            notes = List.copyOf(notes);
        }
    }

    private final Clock clock;

    public RunRecorder(Clock clock) {
        this.clock = clock;
    }

    public Recorded record(HistoryStore store, RunRecord run) throws HistoryStoreException {
        return recordAll(store, List.of(run)).get(0);
    }

    /**
     * Records several runs in one transaction: all or none. One commit instead of one per run is what makes
     * generating a history of thousands of runs (bench/history.sh) take minutes instead of tens of minutes, the
     * commit's sync to disk being most of a run's recording time.
     */
    public List<Recorded> recordAll(HistoryStore store, List<RunRecord> runs) throws HistoryStoreException {
        Connection c = store.connection();
        List<Recorded> out = new ArrayList<>();
        try {
            c.setAutoCommit(false);
            try {
                for (RunRecord run : runs) {
                    out.add(write(c, run));
                }
                c.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new HistoryStoreException((runs.size() == 1 ? "cannot record run " + runs.get(0).runId() + " in "
                    + store.location().shown() : "cannot record " + runs.size() + " runs in " + store.location().shown()
                    + " (none recorded)") + ": " + HistoryStore.oneLine(e), e);
        }
    }

    /**
     * Writes the packed points of each series that recording left without them (a run recorded again, or earlier
     * than the series' last run), from its rows, in one transaction; returns how many series. lb history import
     * calls it once after all its runs, lb run and lb recover after theirs.
     */
    public int completePoints(HistoryStore store) throws HistoryStoreException {
        Connection c = store.connection();
        try {
            c.setAutoCommit(false);
            try {
                int n = SeriesPoints.rebuildMissing(c);
                c.commit();
                return n;
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new HistoryStoreException("cannot write the series points of " + store.location().shown() + ": "
                    + HistoryStore.oneLine(e), e);
        }
    }

    private Recorded write(Connection c, RunRecord run) throws SQLException {
        boolean replaced;
        // The series the run had, if it is recorded again (their packed points are rebuilt without its old rows).
        // A write first, not a read: on SQLite a transaction that starts by reading cannot write once another
        // process has written meanwhile (SQLITE_BUSY_SNAPSHOT), and two runs finishing at once must both be recorded.
        List<String> seriesBefore = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("DELETE FROM run_series WHERE run_id = ? RETURNING series_id")) {
            p.setString(1, run.runId());
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    seriesBefore.add(r.getString(1));
                }
            }
        }
        try (PreparedStatement p = c.prepareStatement("DELETE FROM runs WHERE run_id = ?")) {
            p.setString(1, run.runId());
            replaced = p.executeUpdate() > 0;
        }
        update(c, "INSERT INTO runs (run_id, started_at, ended_at, outcome, exit_code, lb_version, config, "
                        + "config_hash, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", run.runId(), run.startedAt(),
                run.endedAt(), run.outcome(), run.exitCode(), run.lbVersion(), run.config(), run.configHash(),
                clock.millis() / 1000.0);
        for (var label : run.labels().entrySet()) {
            update(c, "INSERT INTO run_labels (run_id, name, value) VALUES (?, ?, ?)", run.runId(), label.getKey(),
                    label.getValue());
        }
        List<String> notes = new ArrayList<>();
        Map<String, String> hostIds = new HashMap<>();
        for (RunRecord.Host h : run.hosts()) {
            HostFingerprint m = h.machine();
            hostIds.put(h.alias(), h.hostId());
            update(c, "INSERT INTO hosts (host_id, alias, fingerprint, cpu_model, logical_cores, memory_gib, arch) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", h.hostId(), h.alias(), m.hash(),
                    m.cpuModel(), m.logicalCores(), m.memoryGib(), m.arch());
            update(c, "INSERT INTO run_hosts (run_id, host_id, kernel, os, system_json) VALUES (?, ?, ?, ?, ?)",
                    run.runId(), h.hostId(), h.kernel(), h.os(), h.systemJson());
        }
        Map<String, String> workloadIds = new HashMap<>();
        for (RunRecord.Workload w : run.workloads()) {
            workloadIds.put(w.name(), w.workloadId());
            update(c, "INSERT INTO workloads (workload_id, name, definition_hash, definition_json) "
                            + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", w.workloadId(), w.name(),
                    w.definitionHash(), w.definitionJson());
        }
        // One batch per statement for all of the run's series, not one round trip per series and statement: on
        // PostgreSQL a run of 50 series was 200 round trips.
        List<RunRecord.SeriesResult> series = run.series();
        List<String> seriesIds = new ArrayList<>();
        for (RunRecord.SeriesResult s : series) {
            seriesIds.add(SeriesIds.of(hostIds.get(s.host()), workloadIds.get(s.workload()), s.metric(), s.unit()));
        }
        int[] created = batch(c, "INSERT INTO series (series_id, host_id, workload_id, metric, unit) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", series.size(), (p, i) -> set(p,
                seriesIds.get(i), hostIds.get(series.get(i).host()), workloadIds.get(series.get(i).workload()),
                series.get(i).metric(), series.get(i).unit()));
        for (int i = 0; i < series.size(); i++) {
            if (created[i] > 0) {
                RunRecord.SeriesResult s = series.get(i);
                newSeriesNotes(c, run, s, hostIds.get(s.host()), workloadIds.get(s.workload()), notes);
            }
        }
        // A run without a known start sorts first (0), the same on both databases (they order NULL differently).
        double started = run.startedAt() == null ? 0.0 : run.startedAt();
        batch(c, "INSERT INTO run_series (run_id, series_id, direction, is_primary, n, mean, stdev, min_value, "
                + "median, p95, max_value, cv, stable, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                series.size(), (p, i) -> {
                    RunRecord.SeriesResult s = series.get(i);
                    set(p, run.runId(), seriesIds.get(i), s.direction(), s.primary() ? 1 : 0, s.n(), s.mean(),
                            s.stdev(), s.min(), s.median(), s.p95(), s.max(), s.cv(), s.stable(), started);
                });
        // The series' role is its latest run's (a run recorded late, e.g. imported, does not change it).
        batch(c, "UPDATE series SET direction = ?, is_primary = ? WHERE series_id = ? AND NOT EXISTS (SELECT 1 "
                + "FROM run_series o WHERE o.series_id = ? AND (o.started_at > ? OR (o.started_at = ? AND "
                + "o.run_id > ?)))", series.size(), (p, i) -> {
                    RunRecord.SeriesResult s = series.get(i);
                    set(p, s.direction(), s.primary() ? 1 : 0, seriesIds.get(i), seriesIds.get(i), started, started,
                            run.runId());
                });
        int values = 0;
        try (PreparedStatement p = c.prepareStatement("INSERT INTO repetition_values (run_id, series_id, "
                + "repetition, value) VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < series.size(); i++) {
                for (RunRecord.Value v : series.get(i).values()) {
                    p.setString(1, run.runId());
                    p.setString(2, seriesIds.get(i));
                    p.setInt(3, v.repetition());
                    p.setDouble(4, v.value());
                    p.addBatch();
                    values++;
                }
            }
            p.executeBatch();
        }
        for (RunRecord.ExcludedRepetition x : run.excluded()) {
            update(c, "INSERT INTO excluded_repetitions (run_id, host, workload, repetition, status, reason) "
                            + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", run.runId(), x.host(), x.workload(),
                    x.repetition(), x.status(), x.reason());
            for (RunRecord.ExcludedValue v : x.values()) {
                update(c, "INSERT INTO excluded_values (run_id, host, workload, repetition, metric, unit, value) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", run.runId(), x.host(), x.workload(),
                        x.repetition(), v.metric(), v.unit(), v.value());
            }
        }
        SeriesPoints.afterRecording(c, run.runId(), seriesIds, seriesBefore);
        return new Recorded(run.runId(), replaced, run.series().size(), values, notes);
    }

    /** A new series where the same alias, workload and metric had one before: say what changed. */
    private static void newSeriesNotes(Connection c, RunRecord run, RunRecord.SeriesResult s, String hostId,
                                       String workloadId, List<String> notes) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT s.host_id, s.workload_id, h.fingerprint, "
                + "w.definition_hash FROM series s JOIN hosts h ON h.host_id = s.host_id JOIN workloads w ON "
                + "w.workload_id = s.workload_id WHERE h.alias = ? AND w.name = ? AND s.metric = ? AND s.unit = ? "
                + "AND NOT (s.host_id = ? AND s.workload_id = ?)")) {
            p.setString(1, s.host());
            p.setString(2, s.workload());
            p.setString(3, s.metric());
            p.setString(4, s.unit());
            p.setString(5, hostId);
            p.setString(6, workloadId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    String why = !r.getString(1).equals(hostId)
                            ? "another machine behind host " + s.host() + " (fingerprint " + r.getString(3) + " -> "
                            + hostId.substring(hostId.lastIndexOf('@') + 1) + ")"
                            : "workload " + s.workload() + "'s definition changed (" + r.getString(4) + " -> "
                            + workloadId.substring(workloadId.lastIndexOf('@') + 1) + ")";
                    String note = "a new series starts for " + s.host() + " × " + s.workload() + " × " + s.metric()
                            + ": " + why;
                    if (!notes.contains(note)) {
                        notes.add(note);
                    }
                }
            }
        }
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            set(p, args);
            return p.executeUpdate();
        }
    }

    private interface Row {
        void bind(PreparedStatement p, int i) throws SQLException;
    }

    /** One statement run for rows 0..count-1 as one batch; each row's update count. */
    private static int[] batch(Connection c, String sql, int count, Row row) throws SQLException {
        if (count == 0) {
            return new int[0];
        }
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < count; i++) {
                row.bind(p, i);
                p.addBatch();
            }
            return p.executeBatch();
        }
    }

    private static void set(PreparedStatement p, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                p.setNull(i + 1, Types.NULL);
            } else {
                p.setObject(i + 1, a);
            }
        }
    }

    private static void rollback(Connection c, Exception primary) {
        try {
            c.rollback();
        } catch (SQLException e) {
            primary.addSuppressed(e); // reported with the failure that caused it
        }
    }
}

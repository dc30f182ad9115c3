package dev.lb.history.record;

import dev.lb.history.store.HistoryStore;
import dev.lb.history.store.HistoryStoreException;
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
        Connection c = store.connection();
        try {
            c.setAutoCommit(false);
            try {
                Recorded r = write(c, run);
                c.commit();
                return r;
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new HistoryStoreException("cannot record run " + run.runId() + " in " + store.location().shown()
                    + ": " + HistoryStore.oneLine(e), e);
        }
    }

    private Recorded write(Connection c, RunRecord run) throws SQLException {
        boolean replaced;
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
        int values = 0;
        for (RunRecord.SeriesResult s : run.series()) {
            String hostId = hostIds.get(s.host());
            String workloadId = workloadIds.get(s.workload());
            String seriesId = SeriesIds.of(hostId, workloadId, s.metric(), s.unit());
            if (update(c, "INSERT INTO series (series_id, host_id, workload_id, metric, unit) VALUES (?, ?, ?, ?, ?) "
                    + "ON CONFLICT DO NOTHING", seriesId, hostId, workloadId, s.metric(), s.unit()) > 0) {
                newSeriesNotes(c, run, s, hostId, workloadId, notes);
            }
            // A run without a known start sorts first (0), the same on both databases (they order NULL differently).
            double started = run.startedAt() == null ? 0.0 : run.startedAt();
            update(c, "INSERT INTO run_series (run_id, series_id, direction, is_primary, n, mean, stdev, min_value, "
                            + "median, p95, max_value, cv, stable, started_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    run.runId(), seriesId, s.direction(), s.primary() ? 1 : 0, s.n(), s.mean(), s.stdev(), s.min(),
                    s.median(), s.p95(), s.max(), s.cv(), s.stable(), started);
            // The series' role is its latest run's (a run recorded late, e.g. imported, does not change it).
            update(c, "UPDATE series SET direction = ?, is_primary = ? WHERE series_id = ? AND NOT EXISTS (SELECT 1 "
                    + "FROM run_series o WHERE o.series_id = ? AND (o.started_at > ? OR (o.started_at = ? AND "
                    + "o.run_id > ?)))", s.direction(), s.primary() ? 1 : 0, seriesId, seriesId, started, started,
                    run.runId());
            try (PreparedStatement p = c.prepareStatement("INSERT INTO repetition_values (run_id, series_id, "
                    + "repetition, value) VALUES (?, ?, ?, ?)")) {
                for (RunRecord.Value v : s.values()) {
                    p.setString(1, run.runId());
                    p.setString(2, seriesId);
                    p.setInt(3, v.repetition());
                    p.setDouble(4, v.value());
                    p.addBatch();
                    values++;
                }
                p.executeBatch();
            }
        }
        for (RunRecord.ExcludedRepetition x : run.excluded()) {
            update(c, "INSERT INTO excluded_repetitions (run_id, host, workload, repetition, status, reason) "
                            + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", run.runId(), x.host(), x.workload(),
                    x.repetition(), x.status(), x.reason());
        }
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
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                if (a == null) {
                    p.setNull(i + 1, Types.NULL);
                } else {
                    p.setObject(i + 1, a);
                }
            }
            return p.executeUpdate();
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

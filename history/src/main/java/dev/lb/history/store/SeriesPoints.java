package dev.lb.history.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Each series' runs packed in chunks (table {@code series_points}, schema 4): what lb history and the gate read
 * instead of every run_series row, because fetching 500,000 rows through JDBC took most of their time. The chunks
 * are derived from run_series alone: a series' chunks, when it has any, always hold what {@link #fromRows} reads
 * from its rows (a series without chunks is read from its rows). The recorder calls {@link #afterRecording} in the
 * transaction that writes the rows, and a store migrated from schema 3 is filled by {@link #rebuildAll}.
 */
public final class SeriesPoints {
    /** Runs per chunk: appending a run rewrites one chunk of at most this many, not the whole series. */
    static final int CHUNK = 1000;

    /** One run of a series as run_series holds it; {@code startedAt} as stored (0: not known). */
    public record Point(String runId, double startedAt, int n, double mean, Double stdev, Double min, Double max) {
    }

    private SeriesPoints() {
    }

    /** The series' runs from its chunks, in time order; null when the series has no chunk (read its rows). */
    public static List<Point> read(Connection c, String seriesId) throws SQLException {
        List<Point> out = null;
        try (PreparedStatement p = c.prepareStatement(
                "SELECT points FROM series_points WHERE series_id = ? ORDER BY chunk")) {
            p.setString(1, seriesId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    if (out == null) {
                        out = new ArrayList<>();
                    }
                    out.addAll(decode(r.getBytes(1)));
                }
            }
        }
        return out;
    }

    /** The series' runs from run_series, ordered as every read of a series orders them (start, then run id). */
    public static List<Point> fromRows(Connection c, String seriesId) throws SQLException {
        List<Point> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT run_id, started_at, n, mean, stdev, min_value, "
                + "max_value FROM run_series WHERE series_id = ? ORDER BY started_at, run_id")) {
            p.setString(1, seriesId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Point(r.getString(1), r.getDouble(2), r.getInt(3), r.getDouble(4), number(r, 5),
                            number(r, 6), number(r, 7)));
                }
            }
        }
        return out;
    }

    /**
     * After a run's rows are written (in the same transaction): appends the run to each of its series when it comes
     * strictly after the series' last run, and otherwise drops the series' chunks (a run recorded again, an older run
     * imported late, two runs starting at the same moment, whose order the database's collation decides); a new
     * series gets none here either. Readers read the rows of a series without chunks until {@link #rebuildMissing}
     * writes them (lb run and lb recover call it after recording, lb history import once after all its runs):
     * rebuilding here would read the whole series again for each run of an import that records thousands again.
     * {@code replacedSeries}: the series the run had before it was recorded again.
     */
    public static void afterRecording(Connection c, String runId, Collection<String> seriesIds,
                                      Collection<String> replacedSeries) throws SQLException {
        // Another transaction recording into the same series at once must not rewrite a chunk this one rewrites
        // from the same old copy (a lost update): the series' row is locked first, in one order (on PostgreSQL;
        // SQLite lets one writer at a time in), so the later one reads the chunks after the earlier one commits.
        java.util.SortedSet<String> all = new java.util.TreeSet<>(seriesIds);
        all.addAll(replacedSeries);
        try (PreparedStatement p = c.prepareStatement("UPDATE series SET metric = metric WHERE series_id = ?")) {
            for (String s : all) {
                p.setString(1, s);
                p.executeUpdate();
            }
        }
        for (String s : replacedSeries) {
            drop(c, s);
        }
        for (String s : seriesIds) {
            if (!replacedSeries.contains(s)) {
                append(c, s, runId);
            }
        }
    }

    /** The chunks of each series that has runs but no chunk written from its rows; returns how many series. */
    public static int rebuildMissing(Connection c) throws SQLException {
        return rebuildEach(c, "SELECT s.series_id FROM series s WHERE EXISTS (SELECT 1 FROM run_series rs WHERE "
                + "rs.series_id = s.series_id) AND NOT EXISTS (SELECT 1 FROM series_points sp WHERE sp.series_id = "
                + "s.series_id) ORDER BY s.series_id");
    }

    /** Every series' chunks written anew from its rows (a store migrated from schema 3). */
    public static void rebuildAll(Connection c) throws SQLException {
        rebuildEach(c, "SELECT series_id FROM series ORDER BY series_id");
    }

    private static int rebuildEach(Connection c, String which) throws SQLException {
        List<String> all = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(which);
             ResultSet r = p.executeQuery()) {
            while (r.next()) {
                all.add(r.getString(1));
            }
        }
        for (String s : all) {
            rebuild(c, s);
        }
        return all.size();
    }

    private static void drop(Connection c, String seriesId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM series_points WHERE series_id = ?")) {
            p.setString(1, seriesId);
            p.executeUpdate();
        }
    }

    /** The series' chunks written anew from its rows. */
    public static void rebuild(Connection c, String seriesId) throws SQLException {
        drop(c, seriesId);
        List<Point> all = fromRows(c, seriesId);
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO series_points (series_id, chunk, runs, points) VALUES (?, ?, ?, ?)")) {
            for (int from = 0, chunk = 0; from < all.size(); from += CHUNK, chunk++) {
                List<Point> part = all.subList(from, Math.min(all.size(), from + CHUNK));
                p.setString(1, seriesId);
                p.setInt(2, chunk);
                p.setInt(3, part.size());
                p.setBytes(4, encode(part));
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    private static void append(Connection c, String seriesId, String runId) throws SQLException {
        Point added = null;
        try (PreparedStatement p = c.prepareStatement("SELECT run_id, started_at, n, mean, stdev, min_value, "
                + "max_value FROM run_series WHERE series_id = ? AND run_id = ?")) {
            p.setString(1, seriesId);
            p.setString(2, runId);
            try (ResultSet r = p.executeQuery()) {
                if (r.next()) {
                    added = new Point(r.getString(1), r.getDouble(2), r.getInt(3), r.getDouble(4), number(r, 5),
                            number(r, 6), number(r, 7));
                }
            }
        }
        if (added == null) {
            throw new SQLException("run " + runId + " has no row in series " + seriesId + " to add to its points");
        }
        int chunk = -1;
        List<Point> last = null;
        try (PreparedStatement p = c.prepareStatement("SELECT chunk, points FROM series_points WHERE series_id = ? "
                + "ORDER BY chunk DESC LIMIT 1")) {
            p.setString(1, seriesId);
            try (ResultSet r = p.executeQuery()) {
                if (r.next()) {
                    chunk = r.getInt(1);
                    last = decode(r.getBytes(2));
                }
            }
        }
        if (last == null) {
            return; // a new series, or one whose chunks were dropped: rebuildMissing writes them
        }
        Point tail = last.get(last.size() - 1);
        if (!(added.startedAt() > tail.startedAt())) {
            drop(c, seriesId);
            return;
        }
        if (last.size() >= CHUNK) {
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO series_points (series_id, chunk, runs, points) VALUES (?, ?, 1, ?)")) {
                p.setString(1, seriesId);
                p.setInt(2, chunk + 1);
                p.setBytes(3, encode(List.of(added)));
                p.executeUpdate();
            }
            return;
        }
        List<Point> grown = new ArrayList<>(last);
        grown.add(added);
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE series_points SET runs = ?, points = ? WHERE series_id = ? AND chunk = ?")) {
            p.setInt(1, grown.size());
            p.setBytes(2, encode(grown));
            p.setString(3, seriesId);
            p.setInt(4, chunk);
            p.executeUpdate();
        }
    }

    static byte[] encode(List<Point> points) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(points.size() * 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(points.size());
            for (Point p : points) {
                out.writeUTF(p.runId());
                out.writeDouble(p.startedAt());
                out.writeInt(p.n());
                out.writeDouble(p.mean());
                for (Double v : new Double[] {p.stdev(), p.min(), p.max()}) {
                    out.writeBoolean(v != null);
                    if (v != null) {
                        out.writeDouble(v);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory
        }
        return bytes.toByteArray();
    }

    static List<Point> decode(byte[] bytes) throws SQLException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int count = in.readInt();
            List<Point> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String run = in.readUTF();
                double started = in.readDouble();
                int n = in.readInt();
                double mean = in.readDouble();
                Double[] v = new Double[3];
                for (int k = 0; k < 3; k++) {
                    v[k] = in.readBoolean() ? in.readDouble() : null;
                }
                out.add(new Point(run, started, n, mean, v[0], v[1], v[2]));
            }
            return out;
        } catch (IOException e) {
            throw new SQLException("a series_points chunk cannot be read (" + e + "): the store is damaged", e);
        }
    }

    private static Double number(ResultSet r, int column) throws SQLException {
        double v = r.getDouble(column);
        return r.wasNull() ? null : v;
    }
}

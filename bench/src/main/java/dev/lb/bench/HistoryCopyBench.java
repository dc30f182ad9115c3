package dev.lb.bench;

import dev.lb.history.store.HistoryStore;
import dev.lb.history.store.SeriesPoints;
import dev.lb.history.store.StoreLocation;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Copies a generated SQLite history into a new PostgreSQL store, table by table with PostgreSQL's COPY, so that
 * bench/history.sh times both stores on the same data. Generating 10,000 runs through the recorder takes minutes on
 * SQLite but most of an hour on PostgreSQL on a loaded machine (a round trip per statement); the copy takes seconds.
 * The schema is lb's own (the store is opened for writing, so Flyway makes it); only the rows are copied, and the
 * series' packed points (derived from the rows) written from them.
 *
 * <p>Usage: {@code lb-bench history-copy SQLITE_FILE POSTGRESQL_URL}; the PostgreSQL store must hold no run.
 */
public final class HistoryCopyBench {
    /** Parents before children, as the foreign keys need them. */
    private static final List<String> TABLES = List.of("runs", "run_labels", "hosts", "run_hosts", "workloads",
            "series", "run_series", "repetition_values", "excluded_repetitions", "run_exclusions", "baselines",
            "checks");
    private static final int CHUNK = 20_000;

    private HistoryCopyBench() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        try (HistoryStore from = HistoryStore.openForReading(StoreLocation.parse(args[0], "bench"));
             HistoryStore to = HistoryStore.openForWriting(StoreLocation.parse(args[1], "bench"))) {
            try (Statement s = to.connection().createStatement(); ResultSet r = s.executeQuery(
                    "SELECT count(*) FROM runs")) {
                r.next();
                if (r.getLong(1) > 0) {
                    throw new IllegalStateException(args[1] + " already holds " + r.getLong(1) + " runs");
                }
            }
            CopyManager copy = to.connection().unwrap(PGConnection.class).getCopyAPI();
            Connection c = to.connection();
            c.setAutoCommit(false);
            long rows = 0;
            for (String table : TABLES) {
                rows += copy(from.connection(), copy, table);
            }
            // The series' packed points are derived from the rows: written from them here as the recorder would
            // have written them, not copied (COPY's csv has no spelling for SQLite's blobs).
            SeriesPoints.rebuildAll(c);
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE"); // as autovacuum would after a load: statistics and visibility map
            }
            System.out.printf(Locale.ROOT, "copied %d rows in %.1f s%n", rows, (System.nanoTime() - t0) / 1e9);
        }
    }

    private static long copy(Connection from, CopyManager to, String table) throws Exception {
        long rows = 0;
        try (Statement s = from.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData m = r.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= m.getColumnCount(); i++) {
                columns.add(m.getColumnName(i));
            }
            String sql = "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN (FORMAT csv)";
            StringBuilder chunk = new StringBuilder();
            int inChunk = 0;
            while (r.next()) {
                for (int i = 1; i <= columns.size(); i++) {
                    if (i > 1) {
                        chunk.append(',');
                    }
                    Object v = r.getObject(i);
                    if (v != null) { // an empty field is NULL in COPY's csv; text is always quoted
                        chunk.append(v instanceof String t ? "\"" + t.replace("\"", "\"\"") + "\"" : v.toString());
                    }
                }
                chunk.append('\n');
                rows++;
                if (++inChunk == CHUNK) {
                    to.copyIn(sql, new StringReader(chunk.toString()));
                    chunk.setLength(0);
                    inChunk = 0;
                }
            }
            if (inChunk > 0) {
                to.copyIn(sql, new StringReader(chunk.toString()));
            }
        }
        return rows;
    }
}

package dev.lb.history.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.history.testing.HistoryStores;
import dev.lb.history.testing.HistoryStores.Kind;
import dev.lb.history.testing.HistoryStores.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Opening stores: created only for writing, at this lb's schema; foreign, corrupt and newer stores refused. */
@ExtendWith(HistoryStores.class)
class HistoryStoreTest {

    @ParameterizedTest
    @EnumSource(Kind.class)
    void writingCreatesTheStoreAtThisSchemaVersionAndReadingThenFindsIt(Kind kind, Stores stores) throws Exception {
        StoreLocation at = stores.fresh(kind);
        try (HistoryStore s = HistoryStore.openForWriting(at)) {
            assertEquals(List.of("1", "2", "3", "4"), column(s.connection(), "SELECT version FROM flyway_schema_history "
                    + "WHERE version IS NOT NULL ORDER BY installed_rank"));
        }
        try (HistoryStore s = HistoryStore.openForReading(at)) {
            assertEquals(List.of("0"), column(s.connection(), "SELECT count(*) FROM runs"));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void readingNeverCreatesAStore(Kind kind, Stores stores) throws Exception {
        StoreLocation at = stores.fresh(kind);
        HistoryStoreException e = assertThrows(HistoryStoreException.class, () -> HistoryStore.openForReading(at));
        assertTrue(e.getMessage().startsWith(kind == Kind.SQLITE ? "no history store at " + at.shown()
                : "no history in " + at.shown()), e.getMessage());
        oneLine(e);
        if (kind == Kind.SQLITE) {
            assertFalse(Files.exists(at.sqliteFile()));
        } else {
            try (Connection c = DriverManager.getConnection(at.jdbcUrl())) {
                assertEquals(List.of("0"), column(c, "SELECT count(*) FROM information_schema.tables "
                        + "WHERE table_schema = current_schema()"));
            }
        }
    }

    /** Flyway by default ignores applied migrations it does not know; lb must not read a newer schema as its own. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void aStoreCarryingAMigrationThisLbLacksIsRefusedWithItsVersion(Kind kind, Stores stores) throws Exception {
        StoreLocation at = stores.fresh(kind);
        try (HistoryStore s = HistoryStore.openForWriting(at); Statement st = s.connection().createStatement()) {
            st.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, "
                    + "checksum, installed_by, execution_time, success) VALUES (5, '5', 'from a newer lb', 'SQL', "
                    + "'V5__from_a_newer_lb.sql', 0, 'lb', 1, " + (kind == Kind.SQLITE ? "1" : "true") + ")");
        }
        for (Callable<HistoryStore> open : List.<Callable<HistoryStore>>of(() -> HistoryStore.openForWriting(at),
                () -> HistoryStore.openForReading(at))) {
            HistoryStoreException e = assertThrows(HistoryStoreException.class, open::call);
            assertEquals(at.shown() + " has history schema version 5, newer than this lb's (4): it was written by "
                    + "a newer lb; use that", e.getMessage());
        }
    }

    /** A store an older lb made (schema 1) is brought up to date when opened, its rows kept and filled in. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void aStoreFromAnOlderLbIsMigratedWithItsRows(Kind kind, Stores stores) throws Exception {
        StoreLocation at = stores.fresh(kind);
        org.flywaydb.core.Flyway.configure().dataSource(at.jdbcUrl(), null, null).locations("classpath:db/migration")
                .target("1").load().migrate();
        try (Connection c = DriverManager.getConnection(at.jdbcUrl()); Statement st = c.createStatement()) {
            st.execute("INSERT INTO runs (run_id, started_at, recorded_at) VALUES ('r1', 1000, 1), ('r2', 2000, 1)");
            st.execute("INSERT INTO hosts (host_id, alias, fingerprint) VALUES ('h@f', 'h', 'f')");
            st.execute("INSERT INTO workloads (workload_id, name, definition_hash) VALUES ('w@d', 'w', 'd')");
            st.execute("INSERT INTO series (series_id, host_id, workload_id, metric, unit) "
                    + "VALUES ('s', 'h@f', 'w@d', 'm', 's')");
            st.execute("INSERT INTO run_series (run_id, series_id, direction, is_primary, n, mean) VALUES "
                    + "('r1', 's', 'none', 0, 1, 1.0), ('r2', 's', 'lower_is_better', 1, 1, 2.0)");
        }
        try (HistoryStore s = HistoryStore.openForReading(at)) {
            assertEquals(List.of("1000.0", "2000.0"), column(s.connection(),
                    "SELECT started_at FROM run_series ORDER BY run_id").stream()
                    .map(v -> String.valueOf(Double.parseDouble(v))).toList());
            assertEquals(List.of("lower_is_better"), column(s.connection(), "SELECT direction FROM series"));
            assertEquals(List.of("1"), column(s.connection(), "SELECT is_primary FROM series"));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aDatabaseOfSomethingElseIsRefusedAndLeftAsItIs(Kind kind, Stores stores) throws Exception {
        StoreLocation at = stores.fresh(kind);
        try (Connection c = DriverManager.getConnection(at.jdbcUrl()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE customers (id INTEGER)");
        }
        HistoryStoreException e = assertThrows(HistoryStoreException.class, () -> HistoryStore.openForWriting(at));
        assertEquals(at.shown() + " holds tables that are not lb's history (customers); left as it is",
                e.getMessage());
        try (Connection c = DriverManager.getConnection(at.jdbcUrl())) {
            assertEquals(List.of("0"), column(c, "SELECT count(*) FROM customers"));
        }
    }

    @Test
    void aCorruptFileIsAOneLineErrorNamingItAndIsNeverOverwritten(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("history.db");
        byte[] junk = "this is not a database\n".repeat(100).getBytes();
        Files.write(file, junk);
        StoreLocation at = StoreLocation.parse(file.toString(), "test");
        for (Callable<HistoryStore> open : List.<Callable<HistoryStore>>of(() -> HistoryStore.openForWriting(at),
                () -> HistoryStore.openForReading(at))) {
            HistoryStoreException e = assertThrows(HistoryStoreException.class, open::call);
            assertEquals(file + " is not an SQLite database, so not a history store (left as it is)",
                    e.getMessage());
        }
        assertArrayEquals(junk, Files.readAllBytes(file));
    }

    @Test
    void aDamagedSqliteFileIsAOneLineError(@TempDir Path dir) throws Exception {
        StoreLocation at = StoreLocation.parse(dir.resolve("history.db").toString(), "test");
        HistoryStore.openForWriting(at).close();
        byte[] bytes = Files.readAllBytes(at.sqliteFile());
        for (int i = 100; i < bytes.length; i++) {
            bytes[i] = (byte) 0xA5; // header intact, pages garbage
        }
        Files.write(at.sqliteFile(), bytes);
        Files.deleteIfExists(dir.resolve("history.db-wal"));
        HistoryStoreException e = assertThrows(HistoryStoreException.class, () -> HistoryStore.openForReading(at));
        assertTrue(e.getMessage().contains(at.shown()), e.getMessage());
        oneLine(e);
        assertArrayEquals(bytes, Files.readAllBytes(at.sqliteFile()));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void twoCreatingTheSameNewStoreAtOnceBothSucceed(Kind kind, Stores stores) throws Exception {
        StoreLocation at = stores.fresh(kind);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                all.add(pool.submit(() -> {
                    HistoryStore.openForWriting(at).close();
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        try (HistoryStore s = HistoryStore.openForReading(at)) {
            assertEquals(List.of("1", "2", "3", "4"), column(s.connection(), "SELECT version FROM flyway_schema_history "
                    + "WHERE version IS NOT NULL ORDER BY installed_rank"));
        }
    }

    @Test
    void theSchemaVersionConstantIsTheHighestMigration() throws Exception {
        Path dir = Path.of(HistoryStore.class.getResource("/db/migration").toURI());
        int highest;
        try (var files = Files.list(dir)) {
            highest = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElse(0);
        }
        assertEquals(highest, HistoryStore.SCHEMA_VERSION);
    }

    @Test
    void aPasswordInTheUrlIsRefusedAndNeverShown() throws Exception {
        HistoryStoreException e = assertThrows(HistoryStoreException.class,
                () -> StoreLocation.parse("postgresql://lb:s3cret@db:5432/lb", "--history-url"));
        assertFalse(e.getMessage().contains("s3cret"));
        StoreLocation jdbc = StoreLocation.parse("jdbc:postgresql://db/lb?user=lb&password=s3cret", "test");
        assertFalse(jdbc.shown().contains("s3cret"), jdbc.shown());
    }

    @Test
    void theOptionWinsOverTheEnvironmentOverTheConfigOverTheRunsDirectory(@TempDir Path runs) throws Exception {
        var env = java.util.Map.of(StoreLocation.ENV, "/e/h.db");
        assertEquals("/o/h.db", StoreLocation.select("/o/h.db", env, "/c/h.db", runs).shown());
        assertEquals("/e/h.db", StoreLocation.select(null, env, "/c/h.db", runs).shown());
        assertEquals("/c/h.db", StoreLocation.select(null, java.util.Map.of(), "/c/h.db", runs).shown());
        assertEquals(runs.resolve("history.db").toString(),
                StoreLocation.select(null, java.util.Map.of(), null, runs).shown());
    }

    @Test
    void anErrorsLineKeepsTheReasonItsDriverPutInTheCause() {
        var e = new java.sql.SQLException("Error opening connection",
                new java.io.IOException("No space left on device\n(while extracting the native library)"));
        assertEquals("Error opening connection: No space left on device (while extracting the native library)",
                HistoryStore.oneLine(e));
        var same = new java.sql.SQLException("disk I/O error", new java.sql.SQLException("disk I/O error"));
        assertEquals("disk I/O error", HistoryStore.oneLine(same));
    }

    static void oneLine(Exception e) {
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    static List<String> column(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }
}

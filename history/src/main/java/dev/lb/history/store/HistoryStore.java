package dev.lb.history.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * An open history store: one JDBC connection to an SQLite file or a PostgreSQL database whose schema is this lb's.
 *
 * <p>Opening checks before it changes anything: a file that is not SQLite, or an SQLite file or database holding
 * tables that are not lb's, is refused and left as it is; a store whose schema is newer than this lb's is refused
 * with its version (Flyway would ignore migrations it does not know by default, and this lb would then misread the
 * newer tables). Only {@link #openForWriting} creates a store; {@link #openForReading} never does.
 */
public final class HistoryStore implements AutoCloseable {
    /** The highest {@code V<n>__*.sql} under db/migration; a test keeps the two equal. */
    public static final int SCHEMA_VERSION = 4;
    static final String HISTORY_TABLE = "flyway_schema_history";
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private final StoreLocation location;
    private final Connection connection;

    private HistoryStore(StoreLocation location, Connection connection) {
        this.location = location;
        this.connection = connection;
    }

    public StoreLocation location() {
        return location;
    }

    public Connection connection() {
        return connection;
    }

    /** Opens the store, creating it or bringing its schema up to date. */
    public static HistoryStore openForWriting(StoreLocation location) throws HistoryStoreException {
        if (location.sqlite()) {
            checkFile(location.sqliteFile());
            try {
                Files.createDirectories(location.sqliteFile().toAbsolutePath().getParent());
            } catch (IOException e) {
                throw new HistoryStoreException("cannot create the directory of " + location.shown() + ": " + e, e);
            }
        }
        Connection c = connect(location);
        try {
            int version = inspect(location, c);
            if (version < SCHEMA_VERSION) {
                migrate(location);
                fillDerived(location, c, version);
            }
            return new HistoryStore(location, c);
        } catch (HistoryStoreException | RuntimeException e) {
            closeQuietly(c, e);
            throw e;
        }
    }

    /** Opens an existing store to read it; a store that is not there is an error, never created. */
    public static HistoryStore openForReading(StoreLocation location) throws HistoryStoreException {
        if (location.sqlite() && !Files.isRegularFile(location.sqliteFile())) {
            throw new HistoryStoreException("no history store at " + location.shown()
                    + " (nothing recorded there yet; lb history import --all records the runs)");
        }
        if (location.sqlite()) {
            checkFile(location.sqliteFile());
        }
        Connection c = connect(location);
        try {
            int version = inspect(location, c);
            if (version == 0) {
                throw new HistoryStoreException("no history in " + location.shown()
                        + " (nothing recorded there yet; lb history import --all records the runs)");
            }
            if (version < SCHEMA_VERSION) {
                migrate(location); // an older lb's store: bring it up to date, as writing would
                fillDerived(location, c, version);
            }
            return new HistoryStore(location, c);
        } catch (HistoryStoreException | RuntimeException e) {
            closeQuietly(c, e);
            throw e;
        }
    }

    /** A file that exists must start as SQLite files do; an empty file is treated as a new store. */
    private static void checkFile(Path file) throws HistoryStoreException {
        if (!Files.exists(file)) {
            return;
        }
        if (!Files.isRegularFile(file)) {
            throw new HistoryStoreException(file + " is not a file, so it cannot be a history store");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(SQLITE_HEADER.length);
            if (head.length > 0 && !java.util.Arrays.equals(head, SQLITE_HEADER)) {
                throw new HistoryStoreException(file + " is not an SQLite database, so not a history store"
                        + " (left as it is)");
            }
        } catch (IOException e) {
            throw new HistoryStoreException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect(StoreLocation location) throws HistoryStoreException {
        try {
            Properties p = new Properties();
            String password = System.getenv("PGPASSWORD");
            if (!location.sqlite() && password != null && !location.jdbcUrl().contains("password=")) {
                p.setProperty("password", password);
            }
            return DriverManager.getConnection(location.jdbcUrl(), p);
        } catch (SQLException e) {
            throw new HistoryStoreException("cannot open the history store " + location.shown() + ": "
                    + oneLine(e), e);
        }
    }

    /**
     * The schema version the store has (0: none yet), after refusing foreign and newer stores.
     */
    private static int inspect(StoreLocation location, Connection c) throws HistoryStoreException {
        try {
            List<String> tables = tables(location, c);
            if (!tables.contains(HISTORY_TABLE)) {
                if (!tables.isEmpty()) {
                    throw new HistoryStoreException(location.shown() + " holds tables that are not lb's history ("
                            + String.join(", ", tables.subList(0, Math.min(5, tables.size())))
                            + (tables.size() > 5 ? ", ..." : "") + "); left as it is");
                }
                return 0;
            }
            int version = 0;
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT version FROM " + HISTORY_TABLE + " WHERE success = "
                         + (location.sqlite() ? "1" : "true") + " AND version IS NOT NULL")) {
                while (r.next()) {
                    version = Math.max(version, Integer.parseInt(r.getString(1).split("\\.")[0]));
                }
            }
            if (version > SCHEMA_VERSION) {
                throw new HistoryStoreException(location.shown() + " has history schema version " + version
                        + ", newer than this lb's (" + SCHEMA_VERSION + "): it was written by a newer lb; use that");
            }
            return version;
        } catch (SQLException e) {
            throw new HistoryStoreException("cannot read the history store " + location.shown() + ": " + oneLine(e),
                    e);
        }
    }

    private static List<String> tables(StoreLocation location, Connection c) throws SQLException {
        String sql = location.sqlite()
                ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                        + "ORDER BY table_name";
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getString(1).toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    /**
     * Flyway migrates (its SQLite support is in flyway-core 13, PostgreSQL's in flyway-database-postgresql). On
     * PostgreSQL Flyway takes an advisory lock, so two processes creating the store at once take turns; on SQLite it
     * has none, so a lock file beside the store does the same.
     */
    private static void migrate(StoreLocation location) throws HistoryStoreException {
        Flyway flyway = Flyway.configure(HistoryStore.class.getClassLoader())
                .dataSource(location.jdbcUrl(), null, location.sqlite() ? null : System.getenv("PGPASSWORD"))
                .locations("classpath:db/migration")
                .table(HISTORY_TABLE)
                .load();
        try {
            if (location.sqlite()) {
                Path lockFile = location.sqliteFile().resolveSibling(location.sqliteFile().getFileName() + ".lock");
                // The file lock keeps other processes out; within one process, threads take turns here first
                // (a second lock on the same file from the same JVM would throw OverlappingFileLockException).
                synchronized (HistoryStore.class) {
                try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = ch.lock()) {
                    flyway.migrate();
                } catch (IOException e) {
                    throw new HistoryStoreException("cannot lock " + lockFile + " to create the history store: "
                            + e.getMessage(), e);
                }
                }
            } else {
                flyway.migrate();
            }
        } catch (FlywayException e) {
            throw new HistoryStoreException("cannot bring the history store " + location.shown() + " up to date: "
                    + oneLine(e), e);
        }
    }

    /**
     * What a migration's SQL cannot compute: a store of schema 1 to 3 gets each series' packed points (schema 4,
     * {@link SeriesPoints}) written from its rows, in one transaction. Another process migrating at the same time
     * writes the same chunks from the same rows.
     */
    private static void fillDerived(StoreLocation location, Connection c, int versionBefore)
            throws HistoryStoreException {
        if (versionBefore == 0 || versionBefore >= 4) {
            return;
        }
        try {
            c.setAutoCommit(false);
            try {
                SeriesPoints.rebuildAll(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new HistoryStoreException("cannot fill in the series points of the history store "
                    + location.shown() + " (schema " + versionBefore + " to " + SCHEMA_VERSION + "): " + oneLine(e),
                    e);
        }
    }

    /**
     * An exception's message on one line (JDBC drivers and Flyway write several), followed by its causes' messages
     * where they add something: sqlite-jdbc says only "Error opening connection" and keeps the reason (a full disk, a
     * native library that could not be loaded) in the cause.
     */
    public static String oneLine(Throwable e) {
        StringBuilder m = new StringBuilder(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        int depth = 0;
        for (Throwable c = e.getCause(); c != null && c != e && depth < 4; c = c.getCause(), depth++) {
            String more = c.getMessage();
            if (more != null && !more.isBlank() && m.indexOf(more) < 0) {
                m.append(": ").append(more);
            }
        }
        return m.toString().replaceAll("\\s*\\R\\s*", " ").trim();
    }

    private static void closeQuietly(Connection c, Exception primary) {
        try {
            c.close();
        } catch (SQLException e) {
            primary.addSuppressed(e); // kept with the error being reported, not lost
        }
    }

    @Override
    public void close() throws HistoryStoreException {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new HistoryStoreException("cannot close the history store " + location.shown() + ": "
                    + oneLine(e), e);
        }
    }
}

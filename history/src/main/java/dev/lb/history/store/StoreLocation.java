package dev.lb.history.store;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where a history store is: an SQLite file, or a PostgreSQL database. {@code shown} is how lb names it in output,
 * never with a password; {@code source} says which setting chose it.
 *
 * <p>Accepted spellings: a file path, {@code sqlite:PATH}, {@code jdbc:sqlite:PATH}, {@code jdbc:postgresql://...}
 * and {@code postgresql://[user@]host[:port]/db}. A PostgreSQL password comes from {@code PGPASSWORD} or
 * {@code ~/.pgpass} (read by the driver), never from the URL lb prints.
 */
public record StoreLocation(String jdbcUrl, Path sqliteFile, String shown, String source) {
    public static final String DEFAULT_FILE = "history.db";
    public static final String ENV = "LB_HISTORY_URL";

    public boolean sqlite() {
        return sqliteFile != null;
    }

    /**
     * The store a command uses: {@code --history-url}, else {@code LB_HISTORY_URL}, else the config's
     * {@code history.url}, else {@code history.db} in the runs directory.
     */
    public static StoreLocation select(String option, Map<String, String> env, String configUrl, Path runsDir)
            throws HistoryStoreException {
        if (option != null && !option.isBlank()) {
            return parse(option, "--history-url");
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return parse(fromEnv, ENV);
        }
        if (configUrl != null && !configUrl.isBlank()) {
            return parse(configUrl, "the config's history.url");
        }
        return sqliteFile(runsDir.resolve(DEFAULT_FILE), "the runs directory");
    }

    public static StoreLocation parse(String url, String source) throws HistoryStoreException {
        String u = url.trim();
        if (u.startsWith("jdbc:postgresql:")) {
            return new StoreLocation(u, null, redact(u), source);
        }
        if (u.startsWith("postgresql://") || u.startsWith("postgres://")) {
            String rest = u.substring(u.indexOf("://") + 3);
            String user = null;
            int at = rest.lastIndexOf('@', rest.indexOf('/') < 0 ? rest.length() : rest.indexOf('/'));
            if (at >= 0) {
                user = rest.substring(0, at);
                rest = rest.substring(at + 1);
                if (user.contains(":")) {
                    throw new HistoryStoreException("a password in " + source + " would be printed and logged: "
                            + "put it in PGPASSWORD or ~/.pgpass instead");
                }
            }
            String jdbc = "jdbc:postgresql://" + rest + (user == null ? "" : (rest.contains("?") ? "&" : "?")
                    + "user=" + user);
            return new StoreLocation(jdbc, null, redact(jdbc), source);
        }
        if (u.startsWith("jdbc:sqlite:")) {
            return sqliteFile(Path.of(u.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*$", "")), source);
        }
        if (u.startsWith("sqlite:")) {
            return sqliteFile(Path.of(u.substring("sqlite:".length())), source);
        }
        if (u.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || u.startsWith("jdbc:")) {
            throw new HistoryStoreException("unsupported history store URL " + redact(u) + " (from " + source
                    + "): use a file path, sqlite:PATH or postgresql://user@host:port/db");
        }
        return sqliteFile(Path.of(u), source);
    }

    private static StoreLocation sqliteFile(Path file, String source) {
        return sqliteFile(file, source, 10_000);
    }

    /**
     * Per connection: WAL so that readers never block the writer, a busy timeout so that two runs finishing
     * together wait for each other instead of failing, and foreign keys (off by default in SQLite).
     */
    private static StoreLocation sqliteFile(Path file, String source, int busyTimeoutMillis) {
        Path f = file.toAbsolutePath().normalize();
        String jdbc = "jdbc:sqlite:" + f + "?journal_mode=WAL&busy_timeout=" + busyTimeoutMillis + "&foreign_keys=true";
        return new StoreLocation(jdbc, f, f.toString(), source);
    }

    /** The same SQLite store with another busy timeout (a test of a locked store need not wait 10 s). */
    public StoreLocation withBusyTimeout(int millis) {
        return sqlite() ? sqliteFile(sqliteFile, source, millis) : this;
    }

    /** The URL without any password parameter. */
    static String redact(String url) {
        return url.replaceAll("(?i)([?&]password=)[^&]*", "$1***").replaceAll("://([^/@:]+):[^/@]*@", "://$1:***@");
    }
}

package dev.lb.controller.cli;

import dev.lb.controller.ExitCode;
import dev.lb.controller.history.HistorySettings;
import dev.lb.history.store.HistoryStore;
import dev.lb.history.store.HistoryStoreException;
import dev.lb.history.store.StoreLocation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options every history command shares: which store ({@code --history-url}, else LB_HISTORY_URL, else the
 * config's history.url once the config carries it, else history.db where the runs are).
 */
final class HistoryOptions {
    @Option(names = "--history-url", paramLabel = "URL",
            description = "The history store: a file path (SQLite) or postgresql://user@host:port/db (default:"
                    + " $LB_HISTORY_URL when set, else history.db in the runs directory). A PostgreSQL password comes"
                    + " from PGPASSWORD or ~/.pgpass.")
    String url;

    @Option(names = "--output-dir", paramLabel = "DIR", defaultValue = "runs", description = LbCommand.RUNS_DIR_HELP)
    Path outputDir;

    StoreLocation location() {
        try {
            StoreLocation l = StoreLocation.select(url, Map.of(), HistorySettings.NONE.url(), outputDir);
            return url != null ? new StoreLocation(l.jdbcUrl(), l.sqliteFile(), l.shown(),
                    "--history-url or " + StoreLocation.ENV) : l;
        } catch (HistoryStoreException e) {
            throw new LbException(ExitCode.USAGE, e.getMessage());
        }
    }

    /**
     * Opens the store for reading and names it: the first line of the command's text output; for json and csv
     * (machine-read) the line goes to stderr, and the JSON carries the store too.
     */
    HistoryStore openForReading(HistoryFormat format, PrintWriter out, PrintWriter err) {
        StoreLocation l = location();
        (format.text() ? out : err).println("history: " + l.shown() + (l.sqlite() ? " (SQLite)"
                : " (PostgreSQL)"));
        try {
            return HistoryStore.openForReading(l);
        } catch (HistoryStoreException e) {
            throw new LbException(ExitCode.FAILED, e.getMessage(), e);
        }
    }

    /** Opens a store that must exist already (the controls change a store; they never create one). */
    HistoryStore openExisting(PrintWriter out) {
        StoreLocation l = location();
        out.println("history: " + l.shown() + (l.sqlite() ? " (SQLite)" : " (PostgreSQL)"));
        try {
            return HistoryStore.openForReading(l);
        } catch (HistoryStoreException e) {
            throw new LbException(ExitCode.FAILED, e.getMessage(), e);
        }
    }

    HistoryStore openForWriting(PrintWriter out) {
        StoreLocation l = location();
        out.println("history: " + l.shown() + (l.sqlite() ? " (SQLite)" : " (PostgreSQL)"));
        try {
            return HistoryStore.openForWriting(l);
        } catch (HistoryStoreException e) {
            throw new LbException(ExitCode.FAILED, e.getMessage(), e);
        }
    }

    static LbException failed(HistoryStoreException e) {
        return new LbException(ExitCode.FAILED, e.getMessage(), e);
    }
}

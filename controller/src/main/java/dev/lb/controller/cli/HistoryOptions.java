package dev.lb.controller.cli;

import dev.lb.controller.ExitCode;
import dev.lb.history.store.HistoryStore;
import dev.lb.history.store.HistoryStoreException;
import dev.lb.history.store.StoreLocation;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options every history command shares: which store (see {@link HistoryStoreChoice}: {@code --history-url},
 * else LB_HISTORY_URL, else the config's history.url with {@code -c}, else history.db where the runs are) and where
 * the runs are ({@code --output-dir}, else LB_RUNS_DIR, else the config's output_dir with {@code -c}, else runs).
 */
final class HistoryOptions {
    @CommandLine.Mixin
    HistoryStoreChoice choice;

    // No default here: an absent --output-dir lets the config's output_dir say where the runs are, as for lb run.
    @Option(names = "--output-dir", paramLabel = "DIR",
            description = "Where runs are (default: $LB_RUNS_DIR when set, else the config's output_dir with -c,"
                    + " else runs in the current directory).")
    Path outputDir;

    /** Where the runs are (import --all, check RUN, the report's default file, and history.db by default). */
    Path runsDir() {
        return choice.runsDir(outputDir);
    }

    StoreLocation location() {
        return choice.location(runsDir());
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

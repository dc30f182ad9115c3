package dev.lb.controller.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.history.store.StoreLocation;
import dev.lb.history.testing.PostgresServer;
import dev.lb.history.testing.TestRuns;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recording at the end of a run never fails the run: every store problem is one warning line naming the command that
 * records the run later, and nothing is thrown.
 */
class HistoryRecordingAtRunEndTest {
    @TempDir
    Path runs;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private boolean record(Path dir, StoreLocation store) {
        return new RunHistory(Clock.systemUTC()).record(dir, Map.of("commit", "c1"), store, new PrintWriter(out),
                new PrintWriter(err)).isPresent();
    }

    @Test
    void aRecordedRunSaysWhereItWent() throws Exception {
        Path dir = TestRuns.write(runs, "r1", 1000, 1, 2, 3);
        StoreLocation store = StoreLocation.select(null, Map.of(), null, runs);
        assertTrue(record(dir, store));
        assertEquals("(history: run r1 recorded in " + runs.resolve("history.db") + ", 1 series)\n", out.toString());
        assertEquals("", err.toString());
        assertTrue(Files.readString(dir.resolve("labels.json")).contains("\"commit\" : \"c1\""));
    }

    /** lb run --no-history: nothing recorded, but the labels kept for the import that records the run later. */
    @Test
    void labelsOfARunNotRecordedAreKeptForItsImport() throws Exception {
        Path dir = TestRuns.write(runs, "r1", 1000, 1, 2, 3);
        assertTrue(RunHistory.keepLabels(dir, Map.of("commit", "c1"), new PrintWriter(err)));
        assertEquals("", err.toString());
        assertEquals(Map.of("commit", "c1"), dev.lb.history.record.RunDirectoryReader.read(dir, Map.of()).labels());
        assertEquals(false, Files.exists(runs.resolve("history.db")));
    }

    @Test
    void labelsThatCannotBeWrittenAreAWarningLine() throws Exception {
        Path dir = TestRuns.write(runs, "r1", 1000, 1, 2, 3);
        Files.createDirectories(dir.resolve("labels.json").resolve("in-the-way"));
        assertEquals(false, RunHistory.keepLabels(dir, Map.of("commit", "c1"), new PrintWriter(err)));
        String e = err.toString();
        assertTrue(e.startsWith("lb: warning: the run's labels were not written to " + dir.resolve("labels.json")
                + ": "), e);
        assertTrue(e.endsWith("; lb history import " + dir + " --label KEY=VALUE gives them when it is recorded\n"),
                e);
        assertEquals(1, e.lines().count(), e);
    }

    @Test
    void aCorruptStoreIsAWarningThatNamesTheImportCommand() throws Exception {
        Path dir = TestRuns.write(runs, "r1", 1000, 1, 2, 3);
        Files.writeString(runs.resolve("history.db"), "not sqlite");
        assertEquals(false, record(dir, StoreLocation.select(null, Map.of(), null, runs)));
        assertEquals("lb: warning: the run was not recorded in the history: " + runs.resolve("history.db")
                + " is not an SQLite database, so not a history store (left as it is); lb history import " + dir
                + " adds it\n", err.toString());
    }

    @Test
    void aPostgresqlThatIsDownIsAWarningThatNamesTheStoreToImportInto() throws Exception {
        Path dir = TestRuns.write(runs, "r1", 1000, 1, 2, 3);
        try (PostgresServer pg = PostgresServer.start()) {
            String url = pg.newDatabaseUrl();
            pg.stopServer();
            StoreLocation store = StoreLocation.parse(url, "--history-url");
            assertEquals(false, record(dir, store));
            String e = err.toString();
            assertTrue(e.startsWith("lb: warning: the run was not recorded in the history: cannot open the history "
                    + "store " + store.shown()), e);
            assertTrue(e.endsWith("; lb history import " + dir + " --history-url " + store.shown() + " adds it\n"), e);
            assertEquals(1, e.lines().count(), e);
        }
    }

    @Test
    void aRunWithoutResultsIsAWarningToo() throws Exception {
        assertEquals(false, record(runs, StoreLocation.parse(runs.resolve("h.db").toString(), "test")));
        assertTrue(err.toString().startsWith("lb: warning: the run was not recorded in the history: no results.json"),
                err.toString());
    }
}

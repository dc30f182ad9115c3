package dev.lb.history.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lb.history.query.HistoryQueries;
import dev.lb.history.query.SeriesFilter;
import dev.lb.history.store.HistoryStore;
import dev.lb.history.store.HistoryStoreException;
import dev.lb.history.store.StoreLocation;
import dev.lb.history.testing.TestRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * history.db on a file system that fills up (a 1 MB tmpfs; mounting needs root, as CI has): recording fails with
 * one line naming the store, the runs recorded before stay readable, and none is half-written.
 */
class HistoryDiskFullTest {
    @TempDir
    Path work;

    @Test
    void aFullDiskUnderTheStoreIsAOneLineErrorAndTheEarlierRunsStayWhole() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Path disk = Files.createDirectories(work.resolve("disk"));
        Path runs = Files.createDirectories(work.resolve("runs"));
        sh("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk.toString());
        try {
            StoreLocation at = StoreLocation.parse(disk.resolve("history.db").toString(), "test");
            RunRecorder recorder = new RunRecorder(Clock.systemUTC());
            int recorded = 0;
            HistoryStoreException full = null;
            try (HistoryStore s = HistoryStore.openForWriting(at)) {
                double[] many = new double[400]; // a run with many values, so that the disk fills in a few runs
                java.util.Arrays.setAll(many, i -> 100 + i % 7);
                for (int i = 0; i < 200 && full == null; i++) {
                    try {
                        recorder.record(s, RunDirectoryReader.read(TestRuns.write(runs, "r" + i, 1000 + i, many),
                                Map.of()));
                        recorded++;
                    } catch (HistoryStoreException e) {
                        full = e;
                    }
                }
            }
            assertTrue(full != null, "the 1 MB disk never filled");
            assertTrue(recorded > 0, "not even one run fitted");
            assertTrue(full.getMessage().startsWith("cannot record run r" + recorded + " in " + at.shown()),
                    full.getMessage());
            // What SQLite says depends on where the write failed: "database or disk is full" from a statement, or,
            // when the full disk hit the WAL at commit and SQLite rolled back by itself, sqlite-jdbc's "cannot commit
            // - no transaction is active". Either way: one line, the store named, nothing half-written (below).
            assertFalse(full.getMessage().contains("\n"));
            try (HistoryStore s = HistoryStore.openForReading(at)) {
                HistoryQueries q = new HistoryQueries(s);
                String series = q.series(SeriesFilter.ALL).get(0).seriesId();
                assertEquals(recorded, q.points(series, SeriesFilter.ALL).size());
                assertTrue(q.points(series, SeriesFilter.ALL).stream().allMatch(p -> p.values().size() == 400));
                assertFalse(q.runExists("r" + recorded), "the failed run is not half-written");
            }
        } finally {
            sh("umount", disk.toString());
        }
    }

    private static void sh(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
        }
    }
}

package dev.lb.controller.cli;

import dev.lb.controller.history.HistorySettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.history.store.StoreLocation;
import dev.lb.history.testing.TestRuns;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lb run --history-check: how the gate's verdict joins the run's exit code (the shared exit-code table). */
class HistoryCheckAtRunEndTest {
    private static final double[] QUIET = {100.2, 99.1, 100.8, 99.6, 100.4, 98.9, 100.1, 101.0};

    @TempDir
    Path runs;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private StoreLocation recordQuietRuns() throws Exception {
        StoreLocation store = null;
        for (int i = 0; i < QUIET.length; i++) {
            Path dir = TestRuns.write(runs, "r" + i, 1000 + i * 100, QUIET[i] * 0.99, QUIET[i], QUIET[i] * 1.01);
            store = RunHistoryAtEnd.record(dir, Map.of(), null, HistorySettings.NONE, runs, new PrintWriter(out), new PrintWriter(err));
        }
        return store;
    }

    private int check(int runCode, String run, StoreLocation store) {
        return RunHistoryAtEnd.check(runCode, runs.resolve(run), store, HistorySettings.NONE, new PrintWriter(out), new PrintWriter(err));
    }

    @Test
    void theConfigsLabelsAreKeptAndALabelOnTheCommandLineOverridesOne() {
        HistorySettings config = new HistorySettings(null, new java.util.LinkedHashMap<>(Map.of("branch", "main")), null);
        assertEquals(Map.of("branch", "fix-1", "commit", "9f8e"),
                RunHistoryAtEnd.labels(config, java.util.List.of("commit=9f8e", "branch=fix-1")));
        assertEquals(Map.of("branch", "main"), RunHistoryAtEnd.labels(config, java.util.List.of()));
    }

    @Test
    void aRegressionTurnsAnOtherwiseCleanRunIntoFourAndNothingElse() throws Exception {
        StoreLocation store = recordQuietRuns();
        Path slow = TestRuns.write(runs, "slow", 5000, 88, 89, 90);
        RunHistoryAtEnd.record(slow, Map.of(), null, HistorySettings.NONE, runs, new PrintWriter(out), new PrintWriter(err));
        assertEquals(4, check(0, "slow", store));
        assertTrue(out.toString().contains("slow: regression"), out.toString());
        assertEquals(1, check(1, "slow", store), "a failed repetition stays 1");
        assertEquals(3, check(3, "slow", store), "lost events stay 3");
        Path usual = TestRuns.write(runs, "usual", 5100, 99, 100, 101);
        RunHistoryAtEnd.record(usual, Map.of(), null, HistorySettings.NONE, runs, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, check(0, "usual", store));
    }

    @Test
    void aStoreTheCheckCannotReadIsOneUnlessTheRunIsWorseAlready() throws Exception {
        StoreLocation store = recordQuietRuns();
        Files.writeString(store.sqliteFile(), "overwritten by something else");
        Files.deleteIfExists(Path.of(store.sqliteFile() + "-wal"));
        assertEquals(1, check(0, "r7", store));
        assertTrue(err.toString().contains("--history-check: "), err.toString());
        assertEquals(3, check(3, "r7", store));
        assertEquals(1, check(0, "r7", null), "not recorded, so not checked");
    }
}

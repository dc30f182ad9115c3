package dev.lb.history.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.history.record.RunDirectoryReader;
import dev.lb.history.record.RunRecorder;
import dev.lb.history.store.HistoryStore;
import dev.lb.history.store.HistoryStoreException;
import dev.lb.history.testing.HistoryStores;
import dev.lb.history.testing.HistoryStores.Kind;
import dev.lb.history.testing.HistoryStores.Stores;
import dev.lb.history.testing.TestRuns;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The gate on run-level values (stress-ng bogo ops/s: higher is better), on both stores. */
@ExtendWith(HistoryStores.class)
class HistoryGateTest {
    /** Ten quiet runs around 100 (between-run spread about 1 %). */
    private static final double[] QUIET = {100.2, 99.1, 100.8, 99.6, 100.4, 98.9, 100.1, 101.0, 99.5, 100.3};

    private int t;

    private HistoryStore storeWith(Kind kind, Stores stores, Path runs, double... runMeans) throws Exception {
        HistoryStore s = HistoryStore.openForWriting(stores.fresh(kind));
        for (double m : runMeans) {
            record(s, runs, "r" + (t + 1), m);
        }
        return s;
    }

    private void record(HistoryStore s, Path runs, String id, double mean) throws Exception {
        // Three repetitions around the run's mean: the gate must look at the run's mean, not these.
        Path dir = TestRuns.write(runs, id, 1000 + ++t * 100, mean * 0.98, mean, mean * 1.02);
        new RunRecorder(Clock.systemUTC()).record(s, RunDirectoryReader.read(dir, Map.of()));
    }

    private SeriesVerdict check(HistoryStore s, String run) throws HistoryStoreException {
        List<SeriesVerdict> v = new Gate(s, Clock.systemUTC()).check(run, GateSettings.DEFAULT);
        assertEquals(1, v.size());
        return v.get(0);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRunTenPercentSlowerThanQuietHistoryIsARegressionAndTheVerdictIsStored(Kind kind, Stores stores,
                                                                                @TempDir Path runs) throws Exception {
        try (HistoryStore s = storeWith(kind, stores, runs, QUIET)) {
            record(s, runs, "slow", 90);
            SeriesVerdict v = check(s, "slow");
            assertEquals(SeriesVerdict.Kind.REGRESSION, v.kind(), v.why());
            assertEquals(10, v.earlierRuns());
            assertTrue(v.lower() > 90 && v.lower() < 99, v.why());
            try (Statement st = s.connection().createStatement(); ResultSet r = st.executeQuery(
                    "SELECT verdict, earlier_runs, lower_bound FROM checks WHERE run_id = 'slow'")) {
                assertTrue(r.next());
                assertEquals("regression", r.getString(1));
                assertEquals(10, r.getInt(2));
                assertEquals(v.lower(), r.getDouble(3), 1e-9);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRunInsideTheIntervalOrBelowTheMinimumChangeIsWithin(Kind kind, Stores stores, @TempDir Path runs)
            throws Exception {
        try (HistoryStore s = storeWith(kind, stores, runs, QUIET)) {
            record(s, runs, "usual", 99.4);
            assertEquals(SeriesVerdict.Kind.WITHIN, check(s, "usual").kind());
            record(s, runs, "faster", 115);
            assertEquals(SeriesVerdict.Kind.IMPROVEMENT, check(s, "faster").kind());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aMetricsOwnMinimumChangeDecidesAndIsStoredWithTheCheck(Kind kind, Stores stores, @TempDir Path runs)
            throws Exception {
        try (HistoryStore s = storeWith(kind, stores, runs, QUIET)) {
            record(s, runs, "slower", 93);
            GateSettings noisy = new GateSettings(20, new MinimumChange(5, List.of(
                    MinimumChange.Rule.of("latency.*", 50), MinimumChange.Rule.of("bogo_ops_per_s", 10),
                    MinimumChange.Rule.of("bogo.*", 1))), 0.01, false);
            SeriesVerdict v = new Gate(s, Clock.systemUTC()).check("slower", noisy).get(0);
            assertEquals(SeriesVerdict.Kind.WITHIN, v.kind(), "-7 % is under the metric's own 10 %: " + v.why());
            assertEquals(10, v.minChangePercent(), "the first rule matching the whole name, not the later 1 %");
            assertTrue(v.why().endsWith("minimum change 10 %"), v.why());
            try (Statement st = s.connection().createStatement(); ResultSet r = st.executeQuery(
                    "SELECT verdict, min_change FROM checks WHERE run_id = 'slower'")) {
                assertTrue(r.next());
                assertEquals("within", r.getString(1));
                assertEquals(10, r.getDouble(2), 0);
            }
            assertEquals(SeriesVerdict.Kind.REGRESSION, check(s, "slower").kind(), "the default 5 % calls it");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void fewerThanFiveEarlierRunsIsNotEnoughHistory(Kind kind, Stores stores, @TempDir Path runs) throws Exception {
        try (HistoryStore s = storeWith(kind, stores, runs, 100, 101, 99, 100)) {
            record(s, runs, "fifth", 50);
            SeriesVerdict v = check(s, "fifth");
            assertEquals(SeriesVerdict.Kind.NOT_ENOUGH_HISTORY, v.kind());
            assertEquals("not enough history: 4 earlier runs, 5 needed", v.why());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anExcludedRunIsLeftOutOfTheEarlierRuns(Kind kind, Stores stores, @TempDir Path runs) throws Exception {
        try (HistoryStore s = storeWith(kind, stores, runs, QUIET)) {
            record(s, runs, "broken", 98.5);
            new HistoryControls(s, Clock.systemUTC()).exclude("broken", "the host was swapping");
            record(s, runs, "slow", 90);
            SeriesVerdict v = check(s, "slow");
            assertEquals(10, v.earlierRuns());
            assertEquals(SeriesVerdict.Kind.REGRESSION, v.kind());
            assertTrue(new HistoryControls(s, Clock.systemUTC()).include("broken"));
            assertEquals(11, check(s, "slow").earlierRuns());
        }
    }

    /** A regression never becomes the new normal by itself; only a baseline the user sets accepts it. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void aStepForTheWorseIsNotAcceptedUntilABaselineIsSet(Kind kind, Stores stores, @TempDir Path runs)
            throws Exception {
        try (HistoryStore s = storeWith(kind, stores, runs, QUIET)) {
            for (int i = 0; i < 6; i++) {
                record(s, runs, "worse" + i, 80 + (i % 2) * 0.5);
            }
            record(s, runs, "now", 80.2);
            assertEquals(SeriesVerdict.Kind.REGRESSION, check(s, "now").kind(),
                    "compared with the last 20 runs, the worse step included");
            new HistoryControls(s, Clock.systemUTC()).baseline("worse0");
            SeriesVerdict v = check(s, "now");
            assertEquals(SeriesVerdict.Kind.WITHIN, v.kind(), v.why());
            assertEquals("baseline worse0", v.startsAfter());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aChangePointForTheBetterStartsTheComparisonAfresh(Kind kind, Stores stores, @TempDir Path runs)
            throws Exception {
        try (HistoryStore s = storeWith(kind, stores, runs, QUIET)) {
            double[] better = {120.1, 119.4, 120.6, 119.8, 120.3, 120.0, 119.7};
            for (int i = 0; i < better.length; i++) {
                record(s, runs, "better" + i, better[i]);
            }
            record(s, runs, "back", 100.5); // back where it was: a regression against the better level
            SeriesVerdict v = check(s, "back");
            assertEquals(SeriesVerdict.Kind.REGRESSION, v.kind(), v.why());
            assertEquals(7, v.earlierRuns());
            assertEquals("change point for the better before better0", v.startsAfter());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void controlsOnARunNotInTheHistoryAreAOneLineError(Kind kind, Stores stores, @TempDir Path runs)
            throws Exception {
        try (HistoryStore s = storeWith(kind, stores, runs)) {
            HistoryStoreException e = assertThrows(HistoryStoreException.class,
                    () -> new HistoryControls(s, Clock.systemUTC()).exclude("nope", "x"));
            assertEquals("run nope is not in the history " + s.location().shown()
                    + " (lb history import adds a run directory)", e.getMessage());
        }
    }
}

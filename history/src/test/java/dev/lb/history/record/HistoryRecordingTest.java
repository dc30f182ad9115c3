package dev.lb.history.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.history.gate.HistoryControls;
import dev.lb.history.query.HistoryQueries;
import dev.lb.history.query.RunPoint;
import dev.lb.history.query.Series;
import dev.lb.history.query.SeriesFilter;
import dev.lb.history.store.HistoryStore;
import dev.lb.history.store.HistoryStoreException;
import dev.lb.history.store.StoreLocation;
import dev.lb.history.testing.HistoryStores;
import dev.lb.history.testing.HistoryStores.Kind;
import dev.lb.history.testing.HistoryStores.Stores;
import dev.lb.history.testing.PostgresServer;
import dev.lb.history.testing.TestRuns;
import dev.lb.protocol.Json;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Recording runs: what is kept equals results.json; recording again replaces; failures are one-line errors. */
@ExtendWith(HistoryStores.class)
class HistoryRecordingTest {
    private static final RunRecorder RECORDER = new RunRecorder(Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"),
            ZoneOffset.UTC));

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theRecordedValuesAreResultsJsonsValues(Kind kind, Stores stores, @TempDir Path runs) throws Exception {
        Path dir = TestRuns.write(runs, "r1", 1000, 101.5, 99.25, 100.125);
        try (HistoryStore s = HistoryStore.openForWriting(stores.fresh(kind))) {
            RunRecorder.Recorded r = RECORDER.record(s, RunDirectoryReader.read(dir, Map.of("commit", "abc123")));
            assertEquals(new RunRecorder.Recorded("r1", false, 1, 3, List.of()), r);
            HistoryQueries q = new HistoryQueries(s);
            List<Series> series = q.series(SeriesFilter.ALL);
            assertEquals(1, series.size());
            Series one = series.get(0);
            assertEquals("h1 × w × bogo_ops_per_s (ops/s)", one.name());
            assertEquals("higher_is_better", one.direction());
            assertTrue(one.primary());
            JsonNode json = Json.MAPPER.readTree(dir.resolve("results.json").toFile()).path("results").get(0);
            RunPoint p = q.points(one.seriesId(), SeriesFilter.ALL).get(0);
            assertEquals(json.path("mean").asDouble(), p.mean());
            assertEquals(json.path("stdev").asDouble(), p.stdev());
            assertEquals(List.of(101.5, 99.25, 100.125), p.values());
            assertEquals(Map.of("commit", "abc123"), p.labels());
            assertEquals(1000.0, p.startedAt());
            try (Statement st = s.connection().createStatement();
                 ResultSet x = st.executeQuery("SELECT reason FROM excluded_repetitions WHERE run_id = 'r1'")) {
                assertTrue(x.next());
                assertEquals("warm-up repetition", x.getString(1));
            }
            // The warm-up's value is kept, marked by its repetition's reason, and counted nowhere.
            try (Statement st = s.connection().createStatement(); ResultSet x = st.executeQuery("SELECT v.repetition,"
                    + " v.metric, v.unit, v.value, e.reason FROM excluded_values v JOIN excluded_repetitions e ON"
                    + " e.run_id = v.run_id AND e.host = v.host AND e.workload = v.workload AND e.repetition ="
                    + " v.repetition WHERE v.run_id = 'r1'")) {
                assertTrue(x.next());
                assertEquals(1, x.getInt(1));
                assertEquals("bogo_ops_per_s", x.getString(2));
                assertEquals("ops/s", x.getString(3));
                assertEquals(101.5 * 0.9, x.getDouble(4), 1e-9);
                assertEquals("warm-up repetition", x.getString(5));
                assertFalse(x.next());
            }
            assertEquals(3, p.values().size(), "the warm-up is not among the counted values");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void recordingARunAgainReplacesItWhole(Kind kind, Stores stores, @TempDir Path runs) throws Exception {
        Path dir = TestRuns.write(runs, "r1", 1000, 1, 2, 3);
        try (HistoryStore s = HistoryStore.openForWriting(stores.fresh(kind))) {
            RECORDER.record(s, RunDirectoryReader.read(dir, Map.of()));
            TestRuns.write(runs, "r1", 1000, 4, 5);
            RunRecorder.Recorded again = RECORDER.record(s, RunDirectoryReader.read(dir, Map.of()));
            assertTrue(again.replaced());
            assertEquals(List.of("1"), count(s.connection(), "runs"));
            assertEquals(List.of("2"), count(s.connection(), "repetition_values"));
            Series one = new HistoryQueries(s).series(SeriesFilter.ALL).get(0);
            assertEquals(4.5, new HistoryQueries(s).points(one.seriesId(), SeriesFilter.ALL).get(0).mean());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anotherMachineBehindAnAliasOrAChangedDefinitionStartsANewSeriesAndSaysSo(Kind kind, Stores stores,
                                                                                  @TempDir Path runs)
            throws Exception {
        try (HistoryStore s = HistoryStore.openForWriting(stores.fresh(kind))) {
            RECORDER.record(s, RunDirectoryReader.read(TestRuns.write(runs, "r1", 1000, 1, 2), Map.of()));
            // Clock speed, kernel and timeout differ from r1: none of them starts a new series.
            assertEquals(List.of(), RECORDER.record(s, RunDirectoryReader.read(TestRuns.write(runs, "r2", 1001, 1, 2),
                    Map.of())).notes());
            RunRecorder.Recorded newCpu = RECORDER.record(s, RunDirectoryReader.read(TestRuns.write(runs, "r3", 1002,
                    "h1", "Intel Xeon", "w", "--cpu 1", 1, 2), Map.of()));
            assertEquals(1, newCpu.notes().size());
            assertTrue(newCpu.notes().get(0).startsWith("a new series starts for h1 × w × bogo_ops_per_s: another "
                    + "machine behind host h1"), newCpu.notes().toString());
            RunRecorder.Recorded newArgs = RECORDER.record(s, RunDirectoryReader.read(TestRuns.write(runs, "r4", 1003,
                    "h1", "AMD EPYC", "w", "--cpu 2", 1, 2), Map.of()));
            assertTrue(newArgs.notes().get(0).contains("workload w's definition changed"), newArgs.notes().toString());
            assertEquals(3, new HistoryQueries(s).series(SeriesFilter.ALL).size());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void severalRunsRecordedAtOnceAreAllKeptOrNoneIs(Kind kind, Stores stores, @TempDir Path runs) throws Exception {
        RunRecord r1 = RunDirectoryReader.read(TestRuns.write(runs, "r1", 1000, 1, 2), Map.of());
        RunRecord r2 = RunDirectoryReader.read(TestRuns.write(runs, "r2", 1001, 3, 4, 5), Map.of());
        // A run whose series name a host it does not list: its series row has no host, which the schema refuses.
        RunRecord broken = new RunRecord("r3", 1002.0, 1032.0, "done", 0, "v", "lb.yaml", "c", Map.of(), List.of(),
                r2.workloads(), r2.series(), List.of());
        try (HistoryStore s = HistoryStore.openForWriting(stores.fresh(kind))) {
            HistoryStoreException e = assertThrows(HistoryStoreException.class,
                    () -> RECORDER.recordAll(s, List.of(r1, r2, broken)));
            assertTrue(e.getMessage().startsWith("cannot record 3 runs in " + s.location().shown() + " (none "
                    + "recorded): "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertEquals(List.of("0"), count(s.connection(), "runs"));
            assertEquals(List.of("0"), count(s.connection(), "run_series"));

            List<RunRecorder.Recorded> kept = RECORDER.recordAll(s, List.of(r1, r2));
            assertEquals(List.of(new RunRecorder.Recorded("r1", false, 1, 2, List.of()),
                    new RunRecorder.Recorded("r2", false, 1, 3, List.of())), kept);
            Series one = new HistoryQueries(s).series(SeriesFilter.ALL).get(0);
            assertEquals(List.of(1.5, 4.0), new HistoryQueries(s).points(one.seriesId(), SeriesFilter.ALL).stream()
                    .map(RunPoint::mean).toList());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everySeriesReadInOneStatementEqualsEachSeriesReadAlone(Kind kind, Stores stores, @TempDir Path runs)
            throws Exception {
        try (HistoryStore s = HistoryStore.openForWriting(stores.fresh(kind))) {
            int i = 0;
            for (String host : List.of("h1", "h2", "h1", "h2")) {
                i++;
                RECORDER.record(s, RunDirectoryReader.read(TestRuns.write(runs, "r" + i, 1000 + i, host, "AMD EPYC",
                        "w", "--cpu 1", i, i + 1), Map.of()));
            }
            new HistoryControls(s, Clock.systemUTC()).exclude("r3", "noisy neighbour");
            HistoryQueries q = new HistoryQueries(s);
            for (SeriesFilter f : List.of(SeriesFilter.ALL, new SeriesFilter("h2", null, null, Map.of(), null),
                    new SeriesFilter(null, null, null, Map.of(), 1003.0))) {
                Map<Series, List<RunPoint>> all = q.meansBySeries(f);
                assertEquals(q.series(f), List.copyOf(all.keySet()), f.toString());
                for (var e : all.entrySet()) {
                    assertEquals(q.means(e.getKey().seriesId(), f), e.getValue(), f.toString());
                }
            }
            assertEquals(2, q.meansBySeries(SeriesFilter.ALL).size());
            // What the gate reads: the run's series, each cut after the run; an excluded run keeps its reason.
            List<RunPoint> upToR3 = q.meansUpTo("r3").values().iterator().next();
            assertEquals(List.of("r1", "r3"), upToR3.stream().map(RunPoint::runId).toList());
            assertEquals("noisy neighbour", upToR3.get(1).excludedReason());
            assertEquals(List.of("r1"), q.meansUpTo("r1").values().iterator().next().stream().map(RunPoint::runId)
                    .toList());
            assertEquals(1, q.meansUpTo("r4").size());
        }
    }

    @Test
    void aLockedSqliteStoreIsAOneLineErrorAndTheStoreIsUnchanged(@TempDir Path runs) throws Exception {
        StoreLocation at = StoreLocation.parse(runs.resolve("history.db").toString(), "test").withBusyTimeout(200);
        HistoryStore.openForWriting(at).close();
        try (Connection holder = DriverManager.getConnection(at.jdbcUrl()); Statement st = holder.createStatement()) {
            st.execute("BEGIN EXCLUSIVE");
            HistoryStoreException e = assertThrows(HistoryStoreException.class, () -> {
                try (HistoryStore s = HistoryStore.openForWriting(at)) {
                    RECORDER.record(s, RunDirectoryReader.read(TestRuns.write(runs, "r1", 1000, 1, 2), Map.of()));
                }
            });
            assertTrue(e.getMessage().contains(at.shown()), e.getMessage());
            assertTrue(e.getMessage().contains("lock"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            st.execute("ROLLBACK");
        }
        try (HistoryStore s = HistoryStore.openForReading(at)) {
            assertEquals(List.of("0"), count(s.connection(), "runs"));
        }
    }

    @Test
    void postgresqlStoppedMidRunIsAOneLineErrorAndRecordingWorksOnceItIsBack(@TempDir Path runs) throws Exception {
        try (PostgresServer own = PostgresServer.start()) {
            StoreLocation at = StoreLocation.parse(own.newDatabaseUrl(), "test");
            Path dir = TestRuns.write(runs, "r1", 1000, 1, 2);
            try (HistoryStore s = HistoryStore.openForWriting(at)) {
                own.stopServer();
                HistoryStoreException e = assertThrows(HistoryStoreException.class,
                        () -> RECORDER.record(s, RunDirectoryReader.read(dir, Map.of())));
                assertTrue(e.getMessage().startsWith("cannot record run r1 in " + at.shown() + ": "), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
            HistoryStoreException down = assertThrows(HistoryStoreException.class,
                    () -> HistoryStore.openForWriting(at));
            assertTrue(down.getMessage().startsWith("cannot open the history store " + at.shown()),
                    down.getMessage());
            own.startServer();
            try (HistoryStore s = HistoryStore.openForWriting(at)) {
                RECORDER.record(s, RunDirectoryReader.read(dir, Map.of()));
                assertEquals(List.of("1"), count(s.connection(), "runs"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void twoRunsFinishingAtOnceAreBothRecorded(Kind kind, Stores stores, @TempDir Path runs) throws Exception {
        StoreLocation at = stores.fresh(kind);
        HistoryStore.openForWriting(at).close();
        Path a = TestRuns.write(runs, "a", 1000, 1, 2);
        Path b = TestRuns.write(runs, "b", 1000, 3, 4);
        Thread other = new Thread(() -> {
            try (HistoryStore s = HistoryStore.openForWriting(at)) {
                RECORDER.record(s, RunDirectoryReader.read(b, Map.of()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        other.start();
        try (HistoryStore s = HistoryStore.openForWriting(at)) {
            RECORDER.record(s, RunDirectoryReader.read(a, Map.of()));
        }
        other.join();
        try (HistoryStore s = HistoryStore.openForReading(at)) {
            assertEquals(List.of("2"), count(s.connection(), "runs"));
        }
        // The same series, the same start: its packed points, once written as lb run writes them after recording,
        // hold both runs, as its rows do.
        try (HistoryStore s = HistoryStore.openForWriting(at)) {
            assertEquals(1, RECORDER.completePoints(s));
            try (var st = s.connection().createStatement(); var r = st.executeQuery("SELECT series_id FROM series")) {
                while (r.next()) {
                    var rows = dev.lb.history.store.SeriesPoints.fromRows(s.connection(), r.getString(1));
                    assertEquals(2, rows.size());
                    assertEquals(rows, dev.lb.history.store.SeriesPoints.read(s.connection(), r.getString(1)));
                }
            }
        }
    }

    @Test
    void aRunDirectoryWithoutResultsIsAOneLineErrorNamingIt(@TempDir Path runs) {
        RunDirectoryException e = assertThrows(RunDirectoryException.class,
                () -> RunDirectoryReader.read(runs, Map.of()));
        assertEquals("no results.json in " + runs + " (lb results " + runs + " writes it)", e.getMessage());
    }

    private static List<String> count(Connection c, String table) throws Exception {
        try (Statement st = c.createStatement(); ResultSet r = st.executeQuery("SELECT count(*) FROM " + table)) {
            r.next();
            return List.of(r.getString(1));
        }
    }
}

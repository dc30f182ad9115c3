package dev.lb.history.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.history.gate.Gate;
import dev.lb.history.gate.GateSettings;
import dev.lb.history.gate.HistoryControls;
import dev.lb.history.gate.SeriesVerdict;
import dev.lb.history.record.HostFingerprint;
import dev.lb.history.record.RunRecord;
import dev.lb.history.record.RunRecorder;
import dev.lb.history.store.HistoryStore;
import dev.lb.history.store.SeriesPoints;
import dev.lb.history.store.StoreLocation;
import dev.lb.history.testing.HistoryStores;
import dev.lb.history.testing.HistoryStores.Kind;
import dev.lb.history.testing.HistoryStores.Stores;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The packed points each series keeps (schema 4) are derived data: after every way the history changes (recording,
 * recording a run again with other values or other series, an older run recorded late, two runs starting at the same
 * moment, a run crossing a chunk's end, exclude, include, baseline) they equal the series' rows read from scratch,
 * and what lb history and the gate read from them equals what they read from the rows. On both stores.
 */
@ExtendWith(HistoryStores.class)
class HistoryStoredPointsTest {
    private final Random rnd = new Random(28);
    private final RunRecorder recorder = new RunRecorder(Clock.systemUTC());

    @ParameterizedTest
    @EnumSource(Kind.class)
    void storedPointsListAndGateEqualAFullRecomputationAfterEveryChange(Kind kind, Stores stores) throws Exception {
        try (HistoryStore s = HistoryStore.openForWriting(stores.fresh(kind))) {
            HistoryControls controls = new HistoryControls(s, Clock.systemUTC());
            for (int i = 0; i < 30; i++) {
                recorder.record(s, run("r" + i, 1000.0 + i * 10, 100, 4));
                recorder.completePoints(s); // as lb run does after recording: the new series' first points
                if (i % 7 == 0) {
                    assertEqualsFromScratch(s);
                }
            }
            // More than a chunk in one transaction: the appends cross the chunk's end.
            List<RunRecord> many = new ArrayList<>();
            for (int i = 30; i < 1030; i++) {
                many.add(run("r" + i, 1000.0 + i * 10, i < 600 ? 100 : 110, 4));
            }
            recorder.recordAll(s, many);
            assertEqualsFromScratch(s);
            assertEquals(0, recorder.completePoints(s), "appended to every series");
            assertEquals(List.of("2"), column(s.connection(), "SELECT count(*) FROM series_points WHERE series_id = "
                    + "(SELECT min(series_id) FROM series)"));

            recorder.record(s, run("r12", 1120.0, 150, 4));           // recorded again, other values
            assertEqualsFromScratch(s);
            recorder.record(s, run("r13", 1130.0, 100, 2));           // recorded again with fewer series
            assertEqualsFromScratch(s);
            recorder.record(s, run("old", 5.0, 100, 4));              // an older run recorded late
            assertEqualsFromScratch(s);
            recorder.record(s, run("twin-b", 1000.0 + 1029 * 10, 100, 4)); // the same start as the last run
            recorder.record(s, run("twin-a", 1000.0 + 1029 * 10, 100, 4));
            assertEqualsFromScratch(s);
            recorder.record(s, run("r1029", 1000.0 + 1029 * 10, 80, 4)); // the last run again
            assertEqualsFromScratch(s);
            recorder.record(s, run("nostart", null, 100, 4));        // no known start: sorts first
            assertEqualsFromScratch(s);
            assertNull(SeriesPoints.read(s.connection(), seriesId(s, "w0", "m0")), "left to be read from rows");
            recorder.record(s, run("r1029b", 1000 + 1029 * 10 + 1.0, 100, 2)); // after the last: still from rows
            assertEqualsFromScratch(s);
            assertNull(SeriesPoints.read(s.connection(), seriesId(s, "w0", "m0")));
            assertCompletedEqualsFromScratch(s);

            controls.exclude("r500", "noisy neighbour");
            controls.exclude("r1029", "broken build");
            assertEqualsFromScratch(s);
            controls.include("r500");
            assertEqualsFromScratch(s);
            controls.baseline("r700");
            assertEqualsFromScratch(s);
            recorder.record(s, run("r1030", 1000.0 + 1030 * 10, 70, 4));
            assertEqualsFromScratch(s);
            assertCompletedEqualsFromScratch(s);

            // The gate's verdicts from the packed points equal its verdicts from the rows (a store without points
            // reads the rows), for runs before and after the baseline, excluded, replaced and the last.
            List<String> checked = List.of("r20", "r13", "r600", "r800", "r1029", "twin-a", "r1030");
            Map<String, List<SeriesVerdict>> fromPoints = verdicts(s, checked);
            try (Statement st = s.connection().createStatement()) {
                st.executeUpdate("DELETE FROM series_points");
            }
            assertEquals(fromPoints, verdicts(s, checked));
            assertTrue(fromPoints.get("r1030").stream().anyMatch(v -> v.kind() == SeriesVerdict.Kind.REGRESSION),
                    fromPoints.get("r1030").toString());
        }
    }

    /** A store written by schema 3 (no points) is migrated when opened, and its points are filled from its rows. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void aSchema3StoreGetsItsPointsFilledInWhenMigrated(Kind kind, Stores stores) throws Exception {
        StoreLocation at = stores.fresh(kind);
        org.flywaydb.core.Flyway.configure().dataSource(at.jdbcUrl(), null, null).locations("classpath:db/migration")
                .table("flyway_schema_history").target("3").load().migrate();
        // Rows as lb with schema 3 wrote them (the recorder's statements of that version, without the points).
        try (Connection c = DriverManager.getConnection(at.jdbcUrl()); Statement st = c.createStatement()) {
            st.execute("INSERT INTO hosts (host_id, alias, fingerprint) VALUES ('h@f', 'h', 'f')");
            st.execute("INSERT INTO workloads (workload_id, name, definition_hash) VALUES ('w@d', 'w', 'd')");
            for (String m : List.of("a", "b")) {
                st.execute("INSERT INTO series (series_id, host_id, workload_id, metric, unit, direction, "
                        + "is_primary) VALUES ('s" + m + "', 'h@f', 'w@d', '" + m + "', 'ops/s', "
                        + "'higher_is_better', 1)");
            }
            for (int i = 0; i < 1500; i++) {
                st.execute("INSERT INTO runs (run_id, started_at, recorded_at) VALUES ('r" + i + "', " + i + ", 1)");
                st.execute("INSERT INTO run_series (run_id, series_id, direction, is_primary, n, mean, stdev, "
                        + "min_value, max_value, started_at) VALUES ('r" + i + "', 'sa', 'higher_is_better', 1, 3, "
                        + (100 + rnd.nextGaussian()) + ", 1.5, 98, 102, " + i + ")");
                if (i % 3 == 0) {
                    st.execute("INSERT INTO run_series (run_id, series_id, direction, is_primary, n, mean, "
                            + "started_at) VALUES ('r" + i + "', 'sb', 'higher_is_better', 1, 1, " + i + ", " + i
                            + ")");
                }
            }
            st.execute("INSERT INTO run_exclusions (run_id, reason, excluded_at) VALUES ('r7', 'why', 1)");
        }
        try (HistoryStore s = HistoryStore.openForReading(at)) {
            assertEquals(List.of("4"), column(s.connection(), "SELECT max(version) FROM flyway_schema_history"));
            assertNotNull(SeriesPoints.read(s.connection(), "sa"));
            assertEquals(1500, SeriesPoints.read(s.connection(), "sa").size());
            assertEquals(500, SeriesPoints.read(s.connection(), "sb").size());
            assertEqualsFromScratch(s);
        }
    }

    /**
     * After the points that recording left out are written ({@link RunRecorder#completePoints}), every series with
     * runs has them, and they equal its rows.
     */
    private void assertCompletedEqualsFromScratch(HistoryStore s) throws Exception {
        recorder.completePoints(s);
        assertEquals(List.of(), column(s.connection(), "SELECT s.series_id FROM series s WHERE NOT EXISTS (SELECT 1 "
                + "FROM series_points p WHERE p.series_id = s.series_id) AND EXISTS (SELECT 1 FROM run_series rs "
                + "WHERE rs.series_id = s.series_id)"), "series with runs but without points");
        assertEqualsFromScratch(s);
    }

    /** Every series' points (where it has them), list input and gate input equal those read from its rows. */
    private static void assertEqualsFromScratch(HistoryStore s) throws Exception {
        HistoryQueries q = new HistoryQueries(s);
        Connection c = s.connection();
        Map<Series, List<RunPoint>> listed = q.meansBySeries(SeriesFilter.ALL);
        assertFalse(listed.isEmpty());
        for (Map.Entry<Series, List<RunPoint>> e : listed.entrySet()) {
            String id = e.getKey().seriesId();
            List<SeriesPoints.Point> rows = SeriesPoints.fromRows(c, id);
            List<SeriesPoints.Point> stored = SeriesPoints.read(c, id);
            if (stored != null) { // none: readers read the rows until the points are written again
                assertEquals(rows, stored, "the points of " + id);
            }
            assertEquals(q.means(id, SeriesFilter.ALL), e.getValue(), "the runs listed for " + id);
            SeriesFilter since = new SeriesFilter(null, null, null, Map.of(), 1500.0);
            assertEquals(q.means(id, since), q.meansBySeries(since).getOrDefault(e.getKey(), List.of()),
                    "the runs since 1500 of " + id);
        }
        for (String run : column(c, "SELECT run_id FROM runs ORDER BY run_id")) {
            if (!run.matches("r0|r7|r12|r13|r599|r600|r1029|r1030|twin-.|old|nostart")) {
                continue; // the runs at the edges are enough
            }
            for (Map.Entry<String, List<RunPoint>> e : q.meansUpTo(run).entrySet()) {
                List<RunPoint> all = q.means(e.getKey(), SeriesFilter.ALL);
                int at = all.stream().map(RunPoint::runId).toList().indexOf(run);
                assertEquals(all.subList(0, at + 1), e.getValue(), "the runs up to " + run + " in " + e.getKey());
            }
        }
    }

    private static String seriesId(HistoryStore s, String workload, String metric) throws Exception {
        return column(s.connection(), "SELECT s.series_id FROM series s JOIN workloads w ON w.workload_id = "
                + "s.workload_id WHERE w.name = '" + workload + "' AND s.metric = '" + metric + "'").get(0);
    }

    private static Map<String, List<SeriesVerdict>> verdicts(HistoryStore s, List<String> runs) throws Exception {
        Map<String, List<SeriesVerdict>> out = new LinkedHashMap<>();
        for (String run : runs) {
            out.put(run, new Gate(s, Clock.systemUTC()).check(run, GateSettings.DEFAULT));
        }
        return out;
    }

    /** One run: host h1, 2 workloads × {@code series / 2} metrics (ops/s, higher is better), 3 repetitions. */
    private RunRecord run(String id, Double started, double level, int series) {
        List<RunRecord.SeriesResult> out = new ArrayList<>();
        for (int k = 0; k < series; k++) {
            List<RunRecord.Value> values = new ArrayList<>();
            double sum = 0;
            for (int rep = 1; rep <= 3; rep++) {
                double v = level * (1 + 0.01 * rnd.nextGaussian());
                values.add(new RunRecord.Value(rep, v));
                sum += v;
            }
            out.add(new RunRecord.SeriesResult("h1", "w" + (k % 2), "m" + (k / 2), "ops/s", "higher_is_better",
                    k / 2 == 0, 3, sum / 3, 1.0, level * 0.98, null, null, level * 1.02, null, null, values));
        }
        HostFingerprint machine = new HostFingerprint("test CPU", 8, 32L, "x86_64");
        List<RunRecord.Workload> workloads = List.of(new RunRecord.Workload("w0", "d0", "{}"),
                new RunRecord.Workload("w1", "d1", "{}"));
        return new RunRecord(id, started, started == null ? null : started + 5, "done", 0, "test", "test.yaml", "c",
                Map.of(), List.of(new RunRecord.Host("h1", machine, "6.1", "Debian", null)), workloads, out,
                List.of());
    }

    private static List<String> column(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet r = st.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }
}

package dev.lb.bench;

import dev.lb.controller.history.SeriesOverview;
import dev.lb.history.changepoint.EDivisiveMeans;
import dev.lb.history.gate.Gate;
import dev.lb.history.gate.GateSettings;
import dev.lb.history.query.HistoryQueries;
import dev.lb.history.query.RunPoint;
import dev.lb.history.query.SeriesFilter;
import dev.lb.history.record.HostFingerprint;
import dev.lb.history.record.RunRecord;
import dev.lb.history.record.RunRecorder;
import dev.lb.history.store.HistoryStore;
import dev.lb.history.store.SeriesPoints;
import dev.lb.history.query.Series;
import dev.lb.history.store.StoreLocation;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The history at scale: a generated history of RUNS runs, each with a value in each of SERIES series (1 host, 5
 * workloads, SERIES / 5 metrics each, 3 repetitions per value), then timed inside this process: the schema check
 * (opening the store), listing every series as lb history does (with its last change point), the gate on the last
 * run, change points over every series, and recording one more run. JVM start (process start to main) beside them.
 *
 * <p>Usage: {@code lb-bench history-scale URL [RUNS [SERIES]]}; the store must be new (or made by an earlier call
 * with the same sizes, which is then reused).
 */
public final class HistoryScaleBench {
    private HistoryScaleBench() {
    }

    public static void main(String[] args) throws Exception {
        long jvmStartMs = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        String url = args[0];
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int series = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        StoreLocation at = StoreLocation.parse(url, "bench");
        RunRecorder recorder = new RunRecorder(Clock.systemUTC());
        Random rnd = new Random(10);
        int existing;
        long opening = System.nanoTime();
        try (HistoryStore s = HistoryStore.openForWriting(at)) {
            // A store an older lb wrote is migrated here (schema 4 fills each series' packed points from its rows).
            System.out.printf(Locale.ROOT, "opened for writing (migrating an older schema) in %.1f s%n",
                    (System.nanoTime() - opening) / 1e9);
            // The count's statement is closed before writing: an open read would pin SQLite's WAL, which then
            // never checkpoints and grows by gigabytes.
            try (var st = s.connection().createStatement(); var r = st.executeQuery("SELECT count(*) FROM runs")) {
                r.next();
                existing = r.getInt(1);
            }
            if (existing == 0) {
                long t0 = System.nanoTime();
                for (int i = 0; i < runs; i += 500) {   // 500 runs a transaction: one sync to disk each
                    List<RunRecord> batch = new ArrayList<>();
                    for (int k = i; k < Math.min(runs, i + 500); k++) {
                        batch.add(run(k, series, rnd));
                    }
                    recorder.recordAll(s, batch);
                    recorder.completePoints(s); // the first batch's new series
                }
                System.out.printf(Locale.ROOT, "generated %d runs x %d series in %.1f s%n", runs, series,
                        (System.nanoTime() - t0) / 1e9);
            } else if (existing != runs) {
                throw new IllegalStateException(url + " holds " + existing + " runs, not " + runs);
            }
        }
        // Each step timed once, cold, as a fresh lb process meets it: wall time, and this thread's CPU time (on
        // PostgreSQL the server's share is in the wall time only). The list is split into reading the store and
        // computing each series' overview (trend, change points), to show where its time goes.
        Timer t = new Timer();
        HistoryStore store = HistoryStore.openForReading(at);
        String open = t.lap();

        HistoryQueries q = new HistoryQueries(store);
        var bySeries = q.meansBySeries(SeriesFilter.ALL);
        String read = t.lap();
        List<SeriesOverview> rows = new ArrayList<>();
        for (var e : bySeries.entrySet()) {
            rows.add(SeriesOverview.of(e.getKey(), e.getValue()));
        }
        String overview = t.lap();
        String list = t.since(1);

        new Gate(store, Clock.systemUTC()).check("run-" + (runs - 1), GateSettings.DEFAULT);
        String check = t.lap();

        List<double[]> all = new ArrayList<>();
        for (List<RunPoint> points : q.meansBySeries(SeriesFilter.ALL).values()) {
            all.add(points.stream().mapToDouble(RunPoint::mean).toArray());
        }
        t.lap();
        int found = 0;
        for (double[] v : all) {
            found += EDivisiveMeans.DEFAULT.find(v).size();
        }
        String changePoints = t.lap();

        recorder.record(store, run(runs, series, rnd));
        recorder.completePoints(store); // as lb run does after recording (nothing to do for a run appended)
        String record = t.lap();
        // The extra run taken out again, and its series' packed points (derived from the rows) rebuilt without it.
        try (var st = store.connection().createStatement()) {
            st.execute("DELETE FROM runs WHERE run_id = 'run-" + runs + "'");
        }
        store.connection().setAutoCommit(false);
        for (Series s : q.series(SeriesFilter.ALL)) {
            SeriesPoints.rebuild(store.connection(), s.seriesId());
        }
        store.connection().commit();
        store.connection().setAutoCommit(true);
        store.close();

        System.out.printf(Locale.ROOT, "store %s: %d runs x %d series (%d series listed, %d change points)%n",
                at.shown(), runs, series, rows.size(), found);
        System.out.printf(Locale.ROOT, "wall ms (cpu ms of this thread): jvm start %d, schema check (open) %s, "
                + "lb history %s [reading %s, trend and change points %s], lb history check %s, change points over "
                + "every series %s, recording one run %s%n", jvmStartMs, open, list, read, overview, check,
                changePoints, record);
    }

    /** Laps of wall and thread CPU time, printed as "wall (cpu)" in ms. */
    private static final class Timer {
        private final java.lang.management.ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        private final List<long[]> marks = new ArrayList<>();

        Timer() {
            mark();
        }

        private void mark() {
            marks.add(new long[] {System.nanoTime(), cpu.getCurrentThreadCpuTime()});
        }

        /** Since the previous lap. */
        String lap() {
            mark();
            return between(marks.size() - 2, marks.size() - 1);
        }

        /** From lap {@code from} (0: the start) to the last lap. */
        String since(int from) {
            return between(from, marks.size() - 1);
        }

        private String between(int a, int b) {
            return String.format(Locale.ROOT, "%.0f (%.0f)", (marks.get(b)[0] - marks.get(a)[0]) / 1e6,
                    (marks.get(b)[1] - marks.get(a)[1]) / 1e6);
        }
    }

    private static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    /** Run i: levels with a step every 2,000 runs (so there are change points to find), noise 1 %. */
    private static RunRecord run(int i, int series, Random rnd) {
        List<RunRecord.SeriesResult> out = new ArrayList<>();
        double level = 1000 * (1 + 0.05 * ((i / 2000) % 2));
        for (int k = 0; k < series; k++) {
            List<RunRecord.Value> values = new ArrayList<>();
            double sum = 0;
            for (int rep = 1; rep <= 3; rep++) {
                double v = level * (1 + 0.01 * rnd.nextGaussian());
                values.add(new RunRecord.Value(rep, v));
                sum += v;
            }
            out.add(new RunRecord.SeriesResult("h1", "w" + (k % 5), "m" + (k / 5), "ops/s", "higher_is_better",
                    k / 5 == 0, 3, sum / 3, null, null, null, null, null, null, null, values));
        }
        HostFingerprint machine = new HostFingerprint("bench CPU", 8, 32L, "x86_64");
        List<RunRecord.Workload> workloads = new ArrayList<>();
        for (int w = 0; w < 5; w++) {
            workloads.add(new RunRecord.Workload("w" + w, "def" + w, "{}"));
        }
        return new RunRecord("run-" + i, 1.7e9 + i * 60.0, 1.7e9 + i * 60.0 + 30, "done", 0, "bench", "bench.yaml",
                "c", Map.of("commit", "c" + i), List.of(new RunRecord.Host("h1", machine, "6.1", "Debian", null)),
                workloads, out, List.of());
    }
}

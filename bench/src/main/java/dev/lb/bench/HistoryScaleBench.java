package dev.lb.bench;

import dev.lb.controller.history.SeriesOverview;
import dev.lb.history.changepoint.EDivisiveMeans;
import dev.lb.history.gate.Gate;
import dev.lb.history.gate.GateSettings;
import dev.lb.history.query.HistoryQueries;
import dev.lb.history.query.RunPoint;
import dev.lb.history.query.Series;
import dev.lb.history.query.SeriesFilter;
import dev.lb.history.record.HostFingerprint;
import dev.lb.history.record.RunRecord;
import dev.lb.history.record.RunRecorder;
import dev.lb.history.store.HistoryStore;
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
        try (HistoryStore s = HistoryStore.openForWriting(at)) {
            // The count's statement is closed before writing: an open read would pin SQLite's WAL, which then
            // never checkpoints and grows by gigabytes.
            try (var st = s.connection().createStatement(); var r = st.executeQuery("SELECT count(*) FROM runs")) {
                r.next();
                existing = r.getInt(1);
            }
            if (existing == 0) {
                long t0 = System.nanoTime();
                for (int i = 0; i < runs; i++) {
                    recorder.record(s, run(i, series, rnd));
                }
                System.out.printf(Locale.ROOT, "generated %d runs x %d series in %.1f s%n", runs, series,
                        (System.nanoTime() - t0) / 1e9);
            } else if (existing != runs) {
                throw new IllegalStateException(url + " holds " + existing + " runs, not " + runs);
            }
        }
        long t = System.nanoTime();
        HistoryStore store = HistoryStore.openForReading(at);
        double open = ms(t);

        t = System.nanoTime();
        HistoryQueries q = new HistoryQueries(store);
        List<SeriesOverview> rows = new ArrayList<>();
        for (Series s : q.series(SeriesFilter.ALL)) {
            rows.add(SeriesOverview.of(s, q.means(s.seriesId(), SeriesFilter.ALL)));
        }
        double list = ms(t);

        t = System.nanoTime();
        new Gate(store, Clock.systemUTC()).check("run-" + (runs - 1), GateSettings.DEFAULT);
        double check = ms(t);

        List<double[]> all = new ArrayList<>();
        for (Series s : q.series(SeriesFilter.ALL)) {
            all.add(q.means(s.seriesId(), SeriesFilter.ALL).stream().mapToDouble(RunPoint::mean).toArray());
        }
        t = System.nanoTime();
        int found = 0;
        for (double[] v : all) {
            found += EDivisiveMeans.DEFAULT.find(v).size();
        }
        double changePoints = ms(t);

        t = System.nanoTime();
        recorder.record(store, run(runs, series, rnd));
        double record = ms(t);
        try (var st = store.connection().createStatement()) {
            st.execute("DELETE FROM runs WHERE run_id = 'run-" + runs + "'");
        }
        store.close();

        System.out.printf(Locale.ROOT, "store %s: %d runs x %d series (%d series listed, %d change points)%n",
                at.shown(), runs, series, rows.size(), found);
        System.out.printf(Locale.ROOT, "jvm start %.0f ms, schema check (open) %.0f ms, lb history %.0f ms, "
                + "lb history check %.0f ms, change points over every series %.0f ms, recording one run %.0f ms%n",
                (double) jvmStartMs, open, list, check, changePoints, record);
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

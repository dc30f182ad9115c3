package dev.lb.controller.analysis;

import dev.lb.results.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.commons.statistics.inference.MannWhitneyUTest;

/**
 * A measurement, not a test: how often {@code lb compare} calls a change where there is none, and how often it sees a
 * real one, on simulated runs (fixed seed, so the figures repeat). Each run: one workload, 8 metrics (the first its
 * primary, higher is better), 5 repetitions, each metric normal with its own cv drawn between 2 and 5 %, metrics
 * independent. Run with
 * {@code java -cp <test classes>:<classes>:<deps> dev.lb.controller.analysis.FalseAlarmSimulation}.
 */
public final class FalseAlarmSimulation {
    private static final int PAIRS = 1000;
    private static final int METRICS = 8;
    private static final int N = 5;
    private static final double ALPHA = 0.05;
    private static final SampleComparator COMPARATOR = new SampleComparator();
    private static final MannWhitneyUTest MWU = MannWhitneyUTest.withDefaults();
    /** The per-host samples of the comparison drawn last, for the old default test (a measurement's scratch list). */
    private static final List<double[][]> LAST_SAMPLES = new ArrayList<>();

    private FalseAlarmSimulation() {
    }

    public static void main(String[] args) {
        for (int hosts : new int[] {1, 2}) {
            sameVsSame(hosts, new Random(7));
            slower(hosts, 0.10, 0.03, new Random(11));
            slower(hosts, 0.05, 0.03, new Random(13));
        }
    }

    /** Same distribution on both sides: any row called changed is a false alarm. */
    private static void sameVsSame(int hosts, Random random) {
        int uncorrectedAnyRow = 0;
        int mannWhitneyAnyRow = 0;
        int holmAllRowsAny = 0;
        int verdictAny = 0;
        int otherQBelowAlpha = 0;
        for (int pair = 0; pair < PAIRS; pair++) {
            List<RunComparison.Row> rows = pairRows(hosts, 0, random, null);
            mannWhitneyAnyRow += LAST_SAMPLES.stream().anyMatch(p -> MWU.test(p[1], p[0]).getPValue() < ALPHA) ? 1 : 0;
            uncorrectedAnyRow += rows.stream().anyMatch(r -> r.difference().pValue() != null
                    && r.difference().pValue() < ALPHA) ? 1 : 0;
            holmAllRowsAny += RunComparison.judge(allPrimary(rows), ALPHA).stream()
                    .anyMatch(RunComparison.Row::significant) ? 1 : 0;
            List<RunComparison.Row> judged = RunComparison.judge(rows, ALPHA);
            verdictAny += judged.stream().anyMatch(r -> r.outcome() != null) ? 1 : 0;
            otherQBelowAlpha += judged.stream().anyMatch(r -> !r.primary() && r.judgement().rejected()) ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "same vs same, %d host(s)%s, %d metrics, n = %d, cv 2-5 %%, %d pairs:%n", hosts,
                hosts > 1 ? " + all hosts" : "", METRICS, N, PAIRS);
        System.out.printf(Locale.ROOT, "  any row p < %.2f, every row judged, no correction (before): %s%n", ALPHA,
                share(uncorrectedAnyRow));
        System.out.printf(Locale.ROOT, "  any per-host row p < %.2f by Mann-Whitney U (the old default at n = 5; pooled rows not counted): %s%n", ALPHA,
                share(mannWhitneyAnyRow));
        System.out.printf(Locale.ROOT, "  any row significant, every row judged, Holm across all rows: %s%n",
                share(holmAllRowsAny));
        System.out.printf(Locale.ROOT, "  any verdict changed/better/worse (now: primary only, Holm): %s%n",
                share(verdictAny));
        System.out.printf(Locale.ROOT, "  any other metric with q <= %.2f (shown, no verdict): %s%n", ALPHA,
                share(otherQBelowAlpha));
    }

    /** The primary metric {@code slower} lower in the new run (the others unchanged): how often is it called worse? */
    private static void slower(int hosts, double slower, double cv, Random random) {
        int worse = 0;
        int anyWorse = 0;
        int worseUncorrected = 0;
        for (int pair = 0; pair < PAIRS; pair++) {
            List<RunComparison.Row> rows = pairRows(hosts, slower, random, cv);
            List<RunComparison.Row> judged = RunComparison.judge(rows, ALPHA);
            worse += judged.stream().filter(RunComparison.Row::primary)
                    .allMatch(r -> "worse".equals(r.outcome())) ? 1 : 0;
            anyWorse += judged.stream().anyMatch(r -> "worse".equals(r.outcome())) ? 1 : 0;
            worseUncorrected += rows.stream().filter(RunComparison.Row::primary)
                    .allMatch(r -> r.difference().pValue() < ALPHA && r.difference().difference() < 0) ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "primary %.0f %% slower, cv %.0f %%, n = %d, %d host(s)%s, %d pairs:%n",
                slower * 100, cv * 100, N, hosts, hosts > 1 ? " + all hosts" : "", PAIRS);
        System.out.printf(Locale.ROOT, "  called worse on every primary row (now, Holm): %s; on at least one: %s;"
                + " every primary row at p < %.2f uncorrected: %s%n", share(worse), share(anyWorse), ALPHA,
                share(worseUncorrected));
    }

    /** One comparison's rows: per host the 8 metrics, and with 2 hosts the pooled rows too. */
    private static List<RunComparison.Row> pairRows(int hosts, double slower, Random random, Double fixedCv) {
        List<RunComparison.Row> rows = new ArrayList<>();
        LAST_SAMPLES.clear();
        for (int m = 0; m < METRICS; m++) {
            double cv = fixedCv != null ? fixedCv : 0.02 + random.nextDouble() * 0.03;
            boolean primary = m == 0;
            double newMean = primary ? 100 * (1 - slower) : 100;
            List<double[]> bases = new ArrayList<>();
            List<double[]> news = new ArrayList<>();
            for (int h = 0; h < hosts; h++) {
                double[] b = sample(random, 100, cv);
                double[] n = sample(random, newMean, cv);
                bases.add(b);
                news.add(n);
                rows.add(row("h" + h, m, primary, COMPARATOR.compare(b, n)));
                LAST_SAMPLES.add(new double[][] {b, n});
            }
            if (hosts > 1) {
                rows.add(row(RunComparison.ALL_HOSTS, m, primary, COMPARATOR.compare(concat(bases), concat(news))));
            }
        }
        return rows;
    }

    private static RunComparison.Row row(String host, int metric, boolean primary, Difference d) {
        return new RunComparison.Row(host, new RunResults.SeriesKey("w", "m" + metric, "ops/s"),
                new SeriesRoles.Role("declared", Unit.Direction.HIGHER_IS_BETTER, primary), d,
                new RunComparison.Judgement(null, null, null, false));
    }

    private static List<RunComparison.Row> allPrimary(List<RunComparison.Row> rows) {
        return rows.stream().map(r -> new RunComparison.Row(r.host(), r.series(), new SeriesRoles.Role(
                r.role().parser(), r.role().direction(), true), r.difference(), r.judgement())).toList();
    }

    private static double[] sample(Random random, double mean, double cv) {
        double[] x = new double[N];
        for (int i = 0; i < N; i++) {
            x[i] = mean * (1 + cv * random.nextGaussian());
        }
        return x;
    }

    private static double[] concat(List<double[]> parts) {
        return parts.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    private static String share(int count) {
        return String.format(Locale.ROOT, "%d / %d (%.1f %%)", count, PAIRS, 100.0 * count / PAIRS);
    }
}

package dev.lb.history.gate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.history.changepoint.EDivisiveMeans;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The gate and the change points on generated histories (seeded, so every build sees the same figures, which
 * docs/results.md quotes). A run's value is the mean of 5 repetitions; runs differ by between-run noise (cv 0–3 %)
 * and repetitions by repetition noise (cv 1–5 %), both normal.
 */
class HistoryGateSimulationTest {
    private static final int RUNS = 60;
    private static final int INJECTED_AT = 40;
    private static final int FIRST_CHECKED = 25;
    private static final double[] BETWEEN = {0.0, 0.005, 0.01, 0.02, 0.03};
    private static final double[] REPETITION = {0.01, 0.02, 0.03, 0.04, 0.05};

    /** One series' run values: level 1000, a step of {@code -regression} (higher is better) from run 40 on. */
    private static double[] series(Random rnd, double between, double repetition, double regression) {
        double[] v = new double[RUNS];
        for (int r = 0; r < RUNS; r++) {
            double level = 1000 * (1 + between * rnd.nextGaussian()) * (r >= INJECTED_AT ? 1 - regression : 1);
            double sum = 0;
            for (int k = 0; k < 5; k++) {
                sum += level * (1 + repetition * rnd.nextGaussian());
            }
            v[r] = sum / 5;
        }
        return v;
    }

    private static boolean flagged(double[] v, int run) {
        List<String> ids = IntStream.range(0, run).mapToObj(i -> "r" + i).toList();
        return GateDecision.decide(ids, java.util.Arrays.copyOf(v, run), v[run], "m", "higher_is_better",
                GateSettings.DEFAULT, null).kind() == SeriesVerdict.Kind.REGRESSION;
    }

    @Test
    void thirtyInjectedRegressionsOfThreeToTwentyPercent() {
        Random rnd = new Random(28);
        int falseAlarms = 0;
        int seriesWithFalseAlarm = 0;
        int checksBefore = 0;
        int[] caughtAtOnce = new int[3];
        int[] caughtWithinFive = new int[3];
        int[] injected = new int[3];
        int stillFlagged = 0;
        int checksAfter = 0;
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            double size = 0.03 + i * 0.17 / 29;
            double between = BETWEEN[i % 5];
            double repetition = REPETITION[(i / 5) % 5];
            double[] v = series(rnd, between, repetition, size);
            int alarms = 0;
            for (int r = FIRST_CHECKED; r < INJECTED_AT; r++) {
                alarms += flagged(v, r) ? 1 : 0;
                checksBefore++;
            }
            falseAlarms += alarms;
            seriesWithFalseAlarm += alarms > 0 ? 1 : 0;
            int bucket = size < 0.05 ? 0 : size < 0.10 ? 1 : 2;
            injected[bucket]++;
            boolean atOnce = flagged(v, INJECTED_AT);
            int firstCaught = -1;
            for (int r = INJECTED_AT; r < RUNS; r++) {
                boolean f = flagged(v, r);
                if (f && firstCaught < 0) {
                    firstCaught = r - INJECTED_AT;
                }
                if (r > INJECTED_AT) {
                    stillFlagged += f ? 1 : 0;
                    checksAfter++;
                }
            }
            caughtAtOnce[bucket] += atOnce ? 1 : 0;
            caughtWithinFive[bucket] += firstCaught >= 0 && firstCaught < 5 ? 1 : 0;
            rows.add(String.format(java.util.Locale.ROOT, "| %.1f %% | %.1f %% | %.0f %% | %d | %s |", size * 100,
                    between * 100, repetition * 100, alarms, firstCaught < 0 ? "never" : "run +" + firstCaught));
        }
        System.out.println("| regression | between-run cv | repetition cv | false alarms before it (15 checks) | "
                + "first flagged |");
        rows.forEach(System.out::println);
        System.out.printf("false alarms: %d of %d checks before the regressions (%d of 30 series with one)%n",
                falseAlarms, checksBefore, seriesWithFalseAlarm);
        String[] names = {"3-5 %", "5-10 %", "10-20 %"};
        for (int b = 0; b < 3; b++) {
            System.out.printf("regressions %s: %d injected, flagged on the first regressed run %d, within 5 runs %d%n",
                    names[b], injected[b], caughtAtOnce[b], caughtWithinFive[b]);
        }
        System.out.printf("runs after the first regressed one still flagged: %d of %d%n", stillFlagged, checksAfter);
        assertTrue(falseAlarms <= checksBefore * 0.02, "false alarms " + falseAlarms);
        assertTrue(caughtWithinFive[2] >= injected[2] * 0.8, "10-20 % caught within 5 runs: " + caughtWithinFive[2]);
    }

    @Test
    void noRegressionAtAllFalseAlarmRate() {
        Random rnd = new Random(29);
        int alarms = 0;
        int checks = 0;
        int seriesWithAlarm = 0;
        for (int i = 0; i < 30; i++) {
            double[] v = series(rnd, BETWEEN[i % 5], REPETITION[(i / 5) % 5], 0);
            int a = 0;
            for (int r = FIRST_CHECKED; r < RUNS; r++) {
                a += flagged(v, r) ? 1 : 0;
                checks++;
            }
            alarms += a;
            seriesWithAlarm += a > 0 ? 1 : 0;
        }
        System.out.printf("no regression: %d false alarms in %d checks, %d of 30 series with one%n", alarms, checks,
                seriesWithAlarm);
        assertTrue(alarms <= checks * 0.02, "false alarms " + alarms);
    }

    /** The smallest step change points find in 90 % of series, step in the middle, run-level noise cv 1 % / 2 %. */
    @Test
    void smallestStepFoundAtTenTwentyAndFiftyRuns() {
        for (double cv : new double[] {0.01, 0.02}) {
            for (int n : new int[] {10, 20, 50}) {
                Random rnd = new Random(30 + n);
                double found = Double.NaN;
                for (double step = 0.005; step <= 0.5; step += 0.005) {
                    int hits = 0;
                    for (int trial = 0; trial < 100; trial++) {
                        double[] v = new double[n];
                        for (int r = 0; r < n; r++) {
                            v[r] = 1000 * (1 + cv * rnd.nextGaussian()) * (r >= n / 2 ? 1 + step : 1);
                        }
                        hits += EDivisiveMeans.DEFAULT.find(v).stream()
                                .anyMatch(cp -> Math.abs(cp.index() - n / 2) <= 1) ? 1 : 0;
                    }
                    if (hits >= 90) {
                        found = step;
                        break;
                    }
                }
                System.out.printf("runs %d, run-level cv %.0f %%: smallest step found in 90 %% of series: %.1f %%%n",
                        n, cv * 100, found * 100);
                assertTrue(found <= 0.2, "n " + n + " cv " + cv + ": " + found);
            }
        }
    }
}

package dev.lb.controller.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.results.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Whatever the samples and however many rows share a family, a row is significant exactly when the interval shown
 * beside it excludes 0: the verdict and the interval are one statement, never two that can disagree.
 */
class VerdictAgreesWithIntervalTest {
    private static final SampleComparator COMPARATOR = new SampleComparator();

    @Test
    void significantExactlyWhenTheIntervalExcludesZeroOverManySeededSamplePairs() {
        Random random = new Random(20261207);
        int rows = 0;
        int significant = 0;
        int otherRejected = 0;
        for (int comparison = 0; comparison < 2000; comparison++) {
            List<RunComparison.Row> untested = new ArrayList<>();
            int m = 1 + random.nextInt(8);
            for (int i = 0; i < m; i++) {
                untested.add(row("h" + i, i % 3 != 2, random));
            }
            for (RunComparison.Row r : RunComparison.judge(untested, 0.05)) {
                Difference.Interval ci = r.judgement().interval();
                rows++;
                if (r.primary()) {
                    assertEquals(r.significant(), ci.excludesZero(), () -> "primary " + r);
                    significant += r.significant() ? 1 : 0;
                } else {
                    assertEquals(r.judgement().rejected(), ci.excludesZero(), () -> "other " + r);
                    assertEquals(null, r.outcome(), "a metric without a verdict is never better, worse or changed");
                    otherRejected += r.judgement().rejected() ? 1 : 0;
                }
            }
        }
        assertTrue(significant > 500 && otherRejected > 200,
                "the draws exercise both sides: " + significant + " significant primary rows, " + otherRejected
                        + " rejected others, of " + rows);
    }

    /** n 3 to 8 a side, cv 1 to 8 %, the new mean 0 to 8 % off (half of them not off at all). */
    private static RunComparison.Row row(String host, boolean primary, Random random) {
        double cv = 0.01 + random.nextDouble() * 0.07;
        double shift = random.nextBoolean() ? 0 : random.nextDouble() * 0.08;
        double[] base = sample(random, 3 + random.nextInt(6), 100, cv);
        double[] candidate = sample(random, 3 + random.nextInt(6), 100 * (1 + shift), cv);
        RunResults.SeriesKey series = new RunResults.SeriesKey("w", primary ? "ops" : "other", "ops/s");
        return new RunComparison.Row(host, series, new SeriesRoles.Role("declared", Unit.Direction.HIGHER_IS_BETTER,
                primary), COMPARATOR.compare(base, candidate), new RunComparison.Judgement(null, null, null, false));
    }

    private static double[] sample(Random random, int n, double mean, double cv) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = mean * (1 + cv * random.nextGaussian());
        }
        return x;
    }
}

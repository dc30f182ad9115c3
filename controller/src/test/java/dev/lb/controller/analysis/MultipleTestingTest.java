package dev.lb.controller.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultipleTestingTest {
    private static final double[] P = {0.01, 0.04, 0.03, 0.005};

    private static List<Double> adjusted(MultipleTesting.Corrected[] c) {
        return Arrays.stream(c).map(x -> Math.round(x.adjusted() * 1e12) / 1e12).toList();
    }

    @Test
    void holmAdjustsStepDownAndStopsAtTheFirstStepNotRejected() {
        // By hand: ascending 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 = 0.02, 0.03, 0.06, 0.04; running max
        // 0.02, 0.03, 0.06, 0.06 (what R's p.adjust(p, "holm") defines)
        MultipleTesting.Corrected[] c = MultipleTesting.holm(P, 0.05);
        assertEquals(List.of(0.03, 0.06, 0.06, 0.02), adjusted(c));
        assertEquals(List.of(true, false, false, true), Arrays.stream(c).map(MultipleTesting.Corrected::rejected)
                .toList());
        assertEquals(0.05 / 4, c[3].intervalAlpha(), 1e-15, "step 1 of 4: alpha / 4");
        assertEquals(0.05 / 3, c[0].intervalAlpha(), 1e-15, "step 2: alpha / 3");
        assertEquals(0.05 / 2, c[2].intervalAlpha(), 1e-15, "step 3 stopped it: 0.03 > alpha / 2");
        assertEquals(0.05 / 2, c[1].intervalAlpha(), 1e-15,
                "after the stop, the stopping step's level: 0.04 <= alpha / 1, yet not rejected, so not at 95 %");
    }

    @Test
    void benjaminiHochbergGivesQValuesAndDrawsIntervalsAtTheFalseCoverageRateLevel() {
        // By hand: ascending 0.005, 0.01, 0.03, 0.04 times 4/1, 4/2, 4/3, 4/4 = 0.02, 0.02, 0.04, 0.04; running min
        // from the top leaves them (what R's p.adjust(p, "BH") defines)
        MultipleTesting.Corrected[] c = MultipleTesting.benjaminiHochberg(P, 0.05);
        assertEquals(List.of(0.02, 0.04, 0.04, 0.02), adjusted(c));
        assertEquals(0.05, c[0].intervalAlpha(), 1e-15, "4 of 4 rejected: 1 - 4 * 0.05 / 4");
        MultipleTesting.Corrected[] none = MultipleTesting.benjaminiHochberg(new double[] {0.2, 0.5}, 0.05);
        assertEquals(0.025, none[0].intervalAlpha(), 1e-15, "none rejected: 1 - 0.05 / 2, no interval excludes 0");
        assertEquals(false, none[0].rejected());
    }

    @Test
    void aFamilyOfOneIsNotCorrected() {
        assertEquals(new MultipleTesting.Corrected(0.03, 0.05, true), MultipleTesting.holm(new double[] {0.03}, 0.05)[0]);
        assertEquals(0, MultipleTesting.holm(new double[0], 0.05).length);
    }
}

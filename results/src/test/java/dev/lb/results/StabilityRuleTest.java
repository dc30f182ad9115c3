package dev.lb.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StabilityRuleTest {
    private final StabilityRule rule = new StabilityRule(3, 0.05, "cpu.bogo_ops_per_s");

    @Test
    void valuesWithinTheBoundAreStableOnceThereAreMinOfThem() {
        assertFalse(rule.judge(List.of(100.0, 101.0)).stable(), "two values, min 3");
        StabilityRule.Verdict v = rule.judge(List.of(100.0, 101.0, 99.0));
        assertTrue(v.stable());
        assertEquals(3, v.n());
        assertEquals(0.01, v.cv(), 1e-12); // stdev 1 (n - 1) over mean 100
        assertEquals("cv of cpu.bogo_ops_per_s 0.01 <= 0.05 over 3 repetitions", v.explanation());
    }

    @Test
    void valuesSpreadPastTheBoundAreNotStable() {
        StabilityRule.Verdict v = rule.judge(List.of(100.0, 150.0, 60.0, 120.0));
        assertFalse(v.stable());
        assertTrue(v.explanation().contains(" > 0.05 over 4 repetitions"), v.explanation());
    }

    @Test
    void theBoundItselfIsStable() {
        // mean 2, sample stdev 2: cv exactly 1
        StabilityRule exact = new StabilityRule(2, 1.0, "m");
        assertTrue(exact.judge(List.of(0.0, 2.0, 4.0)).stable());
    }

    @Test
    void aZeroMeanHasNoCvAndIsNeverStable() {
        StabilityRule.Verdict v = rule.judge(List.of(0.0, 0.0, 0.0));
        assertFalse(v.stable());
        assertNull(v.cv());
        assertTrue(v.explanation().contains("mean of cpu.bogo_ops_per_s is 0"), v.explanation());
    }

    @Test
    void aNegativeMeanUsesItsMagnitude() {
        assertTrue(rule.judge(List.of(-100.0, -101.0, -99.0)).stable());
    }

    @Test
    void identicalValuesAreStable() {
        StabilityRule.Verdict v = rule.judge(List.of(7.0, 7.0, 7.0));
        assertTrue(v.stable());
        assertEquals(0.0, v.cv());
    }

    @Test
    void theJsonFormRoundTripsAndBadFormsSayWhatIsExpected() {
        assertEquals(rule, StabilityRule.fromJson(rule.toJson()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StabilityRule.fromJson("{\"min\": 3, \"metric\": \"m\"}"));
        assertTrue(e.getMessage().contains("until_cv"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StabilityRule.fromJson("{\"min\": 1, \"until_cv\": 0.1, \"metric\": \"m\"}"));
        assertThrows(IllegalArgumentException.class, () -> StabilityRule.fromJson("{\"min\": 3, \"until_cv\": 0, \"metric\": \"m\"}"));
        assertThrows(IllegalArgumentException.class, () -> StabilityRule.fromJson("not json"));
    }
}

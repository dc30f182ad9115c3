package dev.lb.history.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The regression block's minimum change: a default and per-metric rules, the first whole-name match deciding. */
class MinimumChangeTest {
    private final MinimumChange change = new MinimumChange(5, List.of(
            MinimumChange.Rule.of("latency_p9[59]", 12.5), MinimumChange.Rule.of("latency.*", 8)));

    @Test
    void theFirstRuleMatchingTheWholeMetricNameDecides() {
        assertEquals(12.5, change.percentFor("latency_p95"));
        assertEquals(8, change.percentFor("latency_p50"), "the second rule: the first does not match");
        assertEquals(5, change.percentFor("bogo_ops_per_s"), "no rule: the default");
        assertEquals(5, change.percentFor("read.latency_p95"), "a rule matches the whole name, not a part of it");
    }

    @Test
    void aUniformChangeHasNoRules() {
        assertEquals(3, MinimumChange.uniform(3).percentFor("anything"));
        assertEquals("3 %", MinimumChange.uniform(3).shown());
        assertEquals("5 % (12.5 % for /latency_p9[59]/, 8 % for /latency.*/)", change.shown());
    }

    @Test
    void aBadRegexOrANegativePercentageIsRefusedInOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MinimumChange.Rule.of("latency[", 5));
        assertEquals("'latency[' is not a regular expression: Unclosed character class near index 7",
                e.getMessage());
        assertEquals("the minimum change must be 0 or more, not -1.0",
                assertThrows(IllegalArgumentException.class, () -> MinimumChange.uniform(-1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> MinimumChange.uniform(Double.NaN));
    }
}

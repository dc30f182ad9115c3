package dev.lb.agent.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lb.results.Metric;
import dev.lb.results.ParsedResult;
import dev.lb.results.Unit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The result event's message names the first numbers, to four significant figures; the event carries them all. */
class ResultEventTest {
    @Test
    void aTimedCommandSaysItsTime() {
        assertEquals("wall_time: 1 metric (wall_time 0.6188 s)", ResultEvent.summary(new ParsedResult("wall_time",
                List.of(new Metric("wall_time", 0.618_812_345, Unit.S)))));
    }

    @Test
    void aToolWithManyMetricsNamesTheFirstThree() {
        assertEquals("stress-ng: 4 metrics (cpu.bogo_ops 41230 ops, cpu.bogo_ops_per_s_real 13740 ops/s, b 73.22 us, ...)",
                ResultEvent.summary(new ParsedResult("stress-ng", List.of(new Metric("cpu.bogo_ops", 41_234, Unit.OPS),
                        new Metric("cpu.bogo_ops_per_s_real", 13_744.9, Unit.OPS_PER_S),
                        new Metric("b", 73.21600000000001, Unit.US), new Metric("c", 1, Unit.COUNT)))));
    }

    @Test
    void noMetricsIsSaidAsSuch() {
        assertEquals("k6: 0 metrics", ResultEvent.summary(new ParsedResult("k6", List.of())));
    }
}

package dev.lb.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultParsersTest {
    @Test
    void knowsTheFourToolsByName() {
        assertEquals(List.of("fio", "k6", "stress-ng", "sysbench"), ResultParsers.names());
        for (String name : ResultParsers.names()) {
            assertEquals(name, ResultParsers.named(name).orElseThrow().name());
        }
        assertTrue(ResultParsers.named("FIO").isEmpty(), "names are exact");
        assertTrue(ResultParsers.named("iperf").isEmpty());
    }
}

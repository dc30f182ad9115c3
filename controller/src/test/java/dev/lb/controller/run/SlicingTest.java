package dev.lb.controller.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lb.controller.config.RunConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SlicingTest {
    private static List<String> hosts(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "h" + i).toList();
    }

    @Test
    void everyHostIsInExactlyOneSliceInInventoryOrder() {
        for (int n = 1; n <= 30; n++) {
            for (int k = 1; k <= 10; k++) {
                List<List<String>> slices = Slicing.split(hosts(n), k);
                List<String> joined = new ArrayList<>();
                slices.forEach(joined::addAll);
                assertEquals(hosts(n), joined, n + " hosts in " + k);
                assertEquals(Math.min(n, k), slices.size(), n + " hosts in " + k);
                int min = slices.stream().mapToInt(List::size).min().orElseThrow();
                int max = slices.stream().mapToInt(List::size).max().orElseThrow();
                assertEquals(true, max - min <= 1 && min >= 1, n + " hosts in " + k + ": " + slices);
            }
        }
    }

    @Test
    void theFirstSlicesTakeTheExtraHosts() {
        assertEquals(List.of(List.of("h1", "h2"), List.of("h3")), Slicing.split(hosts(3), 2));
        assertEquals(List.of(List.of("h1", "h2", "h3"), List.of("h4", "h5"), List.of("h6", "h7")),
                Slicing.split(hosts(7), 3));
    }

    @Test
    void zeroSlicesIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> Slicing.split(hosts(3), 0));
    }

    @Test
    void autoIsOneBelowEightHostsThenOnePerEightUpToTheCores() {
        assertEquals(1, Slicing.auto(1, 2));
        assertEquals(1, Slicing.auto(7, 16));
        assertEquals(1, Slicing.auto(8, 16));
        assertEquals(2, Slicing.auto(9, 16));
        assertEquals(2, Slicing.auto(20, 2));
        assertEquals(3, Slicing.auto(20, 16));
        assertEquals(8, Slicing.auto(1000, 8));
        assertEquals(1, Slicing.auto(100, 1));
    }

    @Test
    void aRunNeverHasMoreSlicesThanHosts() {
        assertEquals(3, Slicing.count(5, 3, 2));
        assertEquals(2, Slicing.count(2, 3, 1));
        assertEquals(1, Slicing.count(1, 50, 8));
        assertEquals(2, Slicing.count(RunConfig.AUTO_SLICES, 10, 2));
        assertEquals(1, Slicing.count(RunConfig.AUTO_SLICES, 0, 2));
    }
}

package dev.lb.controller.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
    private static final Duration TEN = Duration.ofSeconds(10);

    @Test
    void onATerminalTheLineIsRewrittenInPlaceAndClearedBeforeTheResults() {
        StringWriter out = new StringWriter();
        ProgressLine p = new ProgressLine(new PrintWriter(out), true);
        p.update(1, 0, 3, List.of("web-2", "dead"), Duration.ofSeconds(4), TEN);
        p.update(1, 0, 3, List.of("web-2", "dead"), Duration.ofMillis(4_500), TEN); // same text: not printed again
        p.update(1, 1, 3, List.of("web-2"), Duration.ofSeconds(11), TEN);
        p.clear();
        assertEquals("\r\u001b[2Kchecking 3 targets: 1 answered, waiting for web-2, dead · 4 s (a target silent for 10 s is given up)"
                + "\r\u001b[2Kchecking 3 targets: 1 answered, 1 given up, waiting for web-2 · 11 s (a target silent for 10 s is given up)"
                + "\r\u001b[2K", out.toString());
    }

    @Test
    void offATerminalNothingIsPrintedAtAll() {
        StringWriter out = new StringWriter();
        ProgressLine p = new ProgressLine(new PrintWriter(out), false);
        p.update(0, 0, 2, List.of("a", "b"), Duration.ofSeconds(1), TEN);
        p.clear();
        assertEquals("", out.toString());
    }

    @Test
    void manyWaitingHostsAreNamedByTheFirstThreeAndTheLineFitsAndIsInert() {
        String line = ProgressLine.text(0, 0, 5, List.of("a\u001b[31m", "b", "c", "d", "e"), Duration.ZERO, TEN);
        assertEquals("checking 5 targets: 0 answered, waiting for a, b, c and 2 more · 0 s (a target silent for 10 s is given up)", line);
        String longNames = ProgressLine.text(0, 0, 1, List.of("x".repeat(300)), Duration.ZERO, TEN);
        assertTrue(longNames.length() <= 119);
    }
}

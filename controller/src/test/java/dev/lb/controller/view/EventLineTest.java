package dev.lb.controller.view;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.protocol.EventDecoder;
import org.junit.jupiter.api.Test;

class EventLineTest {
    private static String line(String extra) throws Exception {
        return EventLine.format(EventDecoder.decode("{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,"
                + "\"status\":\"running\",\"type\":\"log\",\"level\":\"INFO\",\"src\":\"agent\",\"seq\":3,\"ts\":1.5,"
                + "\"message\":\"xxxx\"" + extra + "}"), 0);
    }

    @Test
    void aTruncatedLineSaysSoWithItsRealLength() throws Exception {
        String l = line(",\"truncated\":true,\"line_bytes\":20000000");
        assertTrue(l.endsWith("xxxx \u2026 [truncated: 20,000,000 bytes]"), l);
    }

    @Test
    void aWholeLineHasNoMarker() throws Exception {
        assertFalse(line("").contains("truncated"));
        assertFalse(line(",\"truncated\":false").contains("truncated"));
    }
}

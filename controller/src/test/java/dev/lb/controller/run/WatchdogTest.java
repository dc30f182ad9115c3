package dev.lb.controller.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lb.controller.config.RunConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 29: one fork worker killed, and lb printed nothing for minutes (up to run_s, 24 h by default). */
class WatchdogTest {
    private static Watchdog watchdog(double retryS, double warnS, double endS) {
        return new Watchdog(new RunConfig.Timeouts(3600, 86_400, 15, 0, retryS, warnS, endS));
    }

    @Test
    void aSilentHostIsSaidOnceThenEndsTheRunOnce() {
        Watchdog w = watchdog(60, 30, 120);
        Map<String, Long> polls = Map.of("web-1", 0L, "web-2", 100_000L);
        assertEquals(new Watchdog.Verdict(List.of(), null), w.check(polls, 29_000));
        assertEquals(new Watchdog.Verdict(List.of("no answer from web-1 for 30 s: ansible-playbook may be stuck, or the"
                + " target's connection down (a poll is sent again for up to 60 s); the run is ended if nothing comes"
                + " within 120 s"), null), w.check(polls, 30_000));
        assertEquals(new Watchdog.Verdict(List.of(), null), w.check(polls, 60_000), "said once per silence");
        Watchdog.Verdict end = w.check(polls, 120_000);
        assertEquals("no answer from web-1 for 120 s: ansible-playbook is stuck", end.endReason());
        assertEquals(List.of("no answer from web-1 for 120 s: ansible-playbook is stuck; ending the run: STOP to every"
                + " target, then they are collected"), end.notices());
        assertNull(w.check(polls, 200_000).endReason(), "the run is ended once");
    }

    @Test
    void aResultInTimeKeepsTheHostQuietAndANewSilenceIsSaidAnew() {
        Watchdog w = watchdog(60, 30, 120);
        assertEquals(1, w.check(Map.of("web-1", 0L), 31_000).notices().size());
        assertEquals(0, w.check(Map.of("web-1", 40_000L), 69_000).notices().size());
        assertEquals(1, w.check(Map.of("web-1", 40_000L), 71_000).notices().size());
        assertNull(w.check(Map.of("web-1", 40_000L), 159_000).endReason());
    }

    @Test
    void theBoundsAreTheConfigsTimeouts() {
        Watchdog w = watchdog(100, 12.5, 185);
        assertEquals(0, w.check(Map.of("web-1", 0L), 12_000).notices().size());
        assertEquals(List.of("no answer from web-1 for 12.5 s: ansible-playbook may be stuck, or the target's connection"
                + " down (a poll is sent again for up to 100 s); the run is ended if nothing comes within 185 s"),
                w.check(Map.of("web-1", 0L), 12_500).notices());
        assertNull(w.check(Map.of("web-1", 0L), 184_000).endReason());
        assertEquals("no answer from web-1 for 185 s: ansible-playbook is stuck",
                w.check(Map.of("web-1", 0L), 185_000).endReason());
    }
}

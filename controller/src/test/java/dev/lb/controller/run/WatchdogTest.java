package dev.lb.controller.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 29: one fork worker killed, and lb printed nothing for minutes (up to run_s, 24 h by default). */
class WatchdogTest {
    @Test
    void aSilentHostIsSaidOnceThenEndsTheRunOnce() {
        Watchdog w = Watchdog.forPolling(1.0, 1.0);
        Map<String, Long> polls = Map.of("web-1", 0L, "web-2", 100_000L);
        assertEquals(new Watchdog.Verdict(List.of(), null), w.check(polls, 29_000));
        assertEquals(new Watchdog.Verdict(List.of("no answer from web-1 for 30 s: ansible-playbook may be stuck (the run"
                + " is ended if nothing comes within 120 s)"), null), w.check(polls, 30_000));
        assertEquals(new Watchdog.Verdict(List.of(), null), w.check(polls, 60_000), "said once per silence");
        Watchdog.Verdict end = w.check(polls, 120_000);
        assertEquals("no answer from web-1 for 120 s: ansible-playbook is stuck", end.endReason());
        assertEquals(List.of("no answer from web-1 for 120 s: ansible-playbook is stuck; ending the run: STOP to every"
                + " target, then they are collected"), end.notices());
        assertNull(w.check(polls, 200_000).endReason(), "the run is ended once");
    }

    @Test
    void aResultInTimeKeepsTheHostQuietAndANewSilenceIsSaidAnew() {
        Watchdog w = Watchdog.forPolling(1.0, 1.0);
        assertEquals(1, w.check(Map.of("web-1", 0L), 31_000).notices().size());
        assertEquals(0, w.check(Map.of("web-1", 40_000L), 69_000).notices().size());
        assertEquals(1, w.check(Map.of("web-1", 40_000L), 71_000).notices().size());
        assertNull(w.check(Map.of("web-1", 40_000L), 159_000).endReason());
    }

    @Test
    void theBoundsStayAboveWhatAHealthyLoopTakes() {
        Watchdog w = Watchdog.forPolling(60, 5);
        // batch 5 s + 2 x 60 s = 125 s between two results at worst: warned at 130 s, ended at 185 s.
        assertEquals(0, w.check(Map.of("web-1", 0L), 129_000).notices().size());
        assertEquals(1, w.check(Map.of("web-1", 0L), 130_000).notices().size());
        assertNull(w.check(Map.of("web-1", 0L), 184_000).endReason());
        assertEquals("no answer from web-1 for 185 s: ansible-playbook is stuck",
                w.check(Map.of("web-1", 0L), 185_000).endReason());
    }
}

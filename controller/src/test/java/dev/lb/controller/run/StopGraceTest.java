package dev.lb.controller.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Issue 29: on a loaded machine stop.yml's start used up the whole grace period, and the run was ended before any
 * agent had seen STOP. The grace counts from the moment stop.yml has ended.
 */
class StopGraceTest {
    private static final long S = 1_000_000_000L;

    @Test
    void theGraceCountsFromWhenStopYmlHasEndedNotFromWhenItStarted() {
        StopGrace grace = new StopGrace(30);
        AtomicBoolean stopYmlEnded = new AtomicBoolean(false);
        grace.sent(0, stopYmlEnded::get);
        assertFalse(grace.over(45 * S), "stop.yml still starting after 45 s: the agents have not seen STOP yet");
        stopYmlEnded.set(true);
        assertFalse(grace.over(46 * S), "STOP is there from 46 s on");
        assertFalse(grace.over(75 * S));
        assertTrue(grace.over(77 * S), "30 s after STOP reached the targets");
    }

    @Test
    void aStopYmlThatNeverEndsHoldsTheRunForItsDeliveryLimitOnly() {
        StopGrace grace = new StopGrace(30);
        grace.sent(0, () -> false);
        long limit = (long) (StopGrace.DELIVERY_LIMIT_S * S);
        assertFalse(grace.over(limit + 29 * S));
        assertTrue(grace.over(limit + 31 * S));
    }

    @Test
    void aStopYmlThatCouldNotStartCountsTheGraceAtOnce() {
        StopGrace grace = new StopGrace(5);
        grace.sent(10 * S, null);
        assertFalse(grace.over(14 * S));
        assertTrue(grace.over(16 * S));
    }

    @Test
    void noStopNoGraceAndAClearedOneIsOver() {
        StopGrace grace = new StopGrace(0);
        assertFalse(grace.over(Long.MAX_VALUE / 2), "nothing was sent");
        grace.sent(0, () -> true);
        assertFalse(grace.over(1), "stop.yml is seen ended at 1 ns: the grace of 0 s starts there");
        assertTrue(grace.over(2));
        grace.clear();
        assertFalse(grace.over(2 * S), "the run was ended already: it is not ended twice");
    }
}

package dev.lb.controller.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Issue 29: "STOP sent to every target" was printed before stop.yml had even started. */
class StopNoticeTest {
    @Test
    void theFirstStopSaysSTOPIsOnItsWayNotThere() {
        assertEquals("stopping (SIGTERM): sending STOP to every target (stop.yml); waiting up to 30 s once it is there"
                + " for the agents to report; press Ctrl-C again to end at once", RunPipeline.stoppingNotice("SIGTERM", 30));
    }
}

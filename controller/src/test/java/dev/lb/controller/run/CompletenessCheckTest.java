package dev.lb.controller.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.controller.ingest.Deduplicator;
import dev.lb.controller.listener.DeliveryPath;
import dev.lb.controller.state.Completeness;
import dev.lb.controller.state.RunState;
import dev.lb.protocol.Event;
import dev.lb.protocol.EventDecoder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every repetition against its seal, once every path is in. */
class CompletenessCheckTest {
    private final Deduplicator dedupe = new Deduplicator(1000);
    private final RunState state = new RunState(List.of("h"), List.of("w"), 1);

    private void deliver(Event e) {
        if (dedupe.firstSighting(e, DeliveryPath.JSONL)) {
            state.accept(e, 0);
        }
    }

    private static Event log(int rep, long seq) throws Exception {
        return EventDecoder.decode("{\"run_id\":\"r\",\"host\":\"h\",\"workload\":\"w\",\"repetition\":" + rep
                + ",\"status\":\"running\",\"type\":\"log\",\"src\":\"agent\",\"seq\":" + seq + "}");
    }

    private static Event sealedDone(long seq) throws Exception {
        return EventDecoder.decode("{\"run_id\":\"r\",\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,"
                + "\"status\":\"done\",\"src\":\"agent\",\"seq\":" + seq + ",\"seal\":{\"agent\":{\"last_seq\":" + seq
                + ",\"count\":" + seq + "}}}");
    }

    private Completeness check(Map<String, String> uncollected) {
        return CompletenessCheck.check("r", List.of("h"), List.of("w"), 1, state, dedupe, uncollected);
    }

    @Test
    void everySealedSeqJournalledIsComplete() throws Exception {
        for (int s = 1; s <= 9; s++) {
            deliver(log(1, s));
        }
        deliver(sealedDone(10));
        Completeness c = check(Map.of());
        assertEquals(Completeness.COMPLETE, c.verdict(), c.toString());
        assertEquals(1, c.sealedRepetitions());
    }

    @Test
    void aLostTailIsALossNamedByItsSealThoughNoGapIsVisible() throws Exception {
        for (int s = 1; s <= 1688; s++) {
            deliver(log(1, s));
        }
        deliver(sealedDone(12002));
        Completeness c = check(Map.of());
        assertEquals(Completeness.LOST, c.verdict());
        assertEquals(1, c.lost().size());
        Completeness.Loss loss = c.lost().get(0);
        assertEquals(List.of(1689L, 12001L, "tail"), List.of(loss.from(), loss.to(), loss.kind()));
        assertEquals(10313, c.lostEvents());
        assertTrue(loss.describe().startsWith("h w rep 1 agent: seq 1689-12001 lost (tail; "), loss.describe());
    }

    @Test
    void aHoleIsAGap() throws Exception {
        for (int s = 1; s <= 9; s++) {
            if (s != 4) {
                deliver(log(1, s));
            }
        }
        deliver(sealedDone(10));
        Completeness.Loss loss = check(Map.of()).lost().get(0);
        assertEquals(List.of(4L, 4L, "gap"), List.of(loss.from(), loss.to(), loss.kind()));
    }

    @Test
    void aRepetitionWithoutItsSealCannotBeShownComplete() throws Exception {
        deliver(log(1, 1));
        Completeness c = check(Map.of());
        assertEquals(Completeness.CANNOT_TELL, c.verdict());
        assertTrue(c.unsealed().get(0).contains("not sealed: the agent's final record never arrived"), c.toString());
    }

    @Test
    void aHostWhoseStreamFileWasNotCollectedIsCannotTellWithWhy() throws Exception {
        Completeness c = check(Map.of("h", "unreachable"));
        assertEquals(Completeness.CANNOT_TELL, c.verdict());
        assertEquals(List.of("h w rep 1: no event arrived and the stream file was not collected: unreachable"),
                c.cannotTell());
    }

    @Test
    void aRepetitionThatNeverStartedOnACollectedHostIsSkippedNotLost() throws Exception {
        Completeness c = check(Map.of());
        assertEquals(Completeness.COMPLETE, c.verdict());
        assertEquals("skipped", state.snapshot().get(0).repetitions().get(1));
    }
}

package dev.lb.controller.ingest;

import dev.lb.controller.listener.DeliveryPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.protocol.Event;
import dev.lb.protocol.EventDecoder;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeduplicatorTest {
    static Event ev(long seq, String message) throws Exception {
        return EventDecoder.decode("{\"run_id\":\"r\",\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,"
                + "\"status\":\"running\",\"src\":\"agent\",\"seq\":" + seq + ",\"message\":\"" + message + "\"}");
    }

    @Test
    void duplicateFromStdoutAndJsonlIsOneEvent() throws Exception {
        Deduplicator d = new Deduplicator(100);
        assertTrue(d.firstSighting(ev(1, "a"), DeliveryPath.STDOUT));
        assertFalse(d.firstSighting(ev(1, "a"), DeliveryPath.JSONL));
        assertEquals(1, d.byBoth());
        assertEquals(0, d.onlyBy(DeliveryPath.STDOUT));
        assertEquals(1, d.duplicates());
    }

    @Test
    void sameMessageWithDistinctSeqIsEveryTimeAnEvent() throws Exception {
        Deduplicator d = new Deduplicator(100);
        for (int i = 1; i <= 1000; i++) {
            assertTrue(d.firstSighting(ev(i, "same"), DeliveryPath.JSONL));
        }
        assertEquals(1000, d.onlyBy(DeliveryPath.JSONL));
    }

    @Test
    void pathAccountingCountsOnlyAndBoth() throws Exception {
        Deduplicator d = new Deduplicator(100);
        d.firstSighting(ev(1, "x"), DeliveryPath.STDOUT);
        d.firstSighting(ev(2, "x"), DeliveryPath.JSONL);
        d.firstSighting(ev(3, "x"), DeliveryPath.JSONL);
        d.firstSighting(ev(3, "x"), DeliveryPath.STDOUT);
        d.firstSighting(ev(3, "x"), DeliveryPath.STDOUT); // printed twice on stdout: still one event
        assertEquals(1, d.onlyBy(DeliveryPath.STDOUT));
        assertEquals(1, d.onlyBy(DeliveryPath.JSONL));
        assertEquals(1, d.byBoth());
        assertEquals(2, d.duplicates());
    }

    @Test
    void gapsAreReportedAsRanges() throws Exception {
        Deduplicator d = new Deduplicator(100);
        for (long s : new long[] {1, 2, 5, 9, 6}) {
            d.firstSighting(ev(s, "x"), DeliveryPath.STDOUT);
        }
        List<Deduplicator.Gap> gaps = d.gaps();
        assertEquals(2, gaps.size());
        assertEquals(List.of(3L, 4L, 7L, 8L), List.of(gaps.get(0).from(), gaps.get(0).to(), gaps.get(1).from(),
                gaps.get(1).to()));
        assertEquals("agent", gaps.get(0).stream().src());
    }

    @Test
    void outOfOrderArrivalLeavesNoGap() throws Exception {
        Deduplicator d = new Deduplicator(100);
        for (long s : new long[] {3, 1, 2, 5, 4}) {
            assertTrue(d.firstSighting(ev(s, "x"), DeliveryPath.STDOUT));
        }
        assertEquals(List.of(), d.gaps());
    }

    @Test
    void eventsWithoutSeqAreMergedByWholePayload() throws Exception {
        Deduplicator d = new Deduplicator(100);
        Event a = EventDecoder.decode("{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"done\",\"message\":\"m\"}");
        Event sameReordered = EventDecoder.decode("{\"message\":\"m\",\"status\":\"done\",\"repetition\":1,\"workload\":\"w\",\"host\":\"h\"}");
        Event other = EventDecoder.decode("{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"done\",\"message\":\"n\"}");
        assertTrue(d.firstSighting(a, DeliveryPath.STDOUT));
        assertFalse(d.firstSighting(sameReordered, DeliveryPath.JSONL));
        assertTrue(d.firstSighting(other, DeliveryPath.JSONL));
        assertEquals(1, d.byBoth());
    }

    @Test
    void memoryForSeqLessEventsIsBounded() throws Exception {
        Deduplicator d = new Deduplicator(10);
        for (int i = 0; i < 100; i++) {
            d.firstSighting(EventDecoder.decode("{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"done\","
                    + "\"message\":\"m" + i + "\"}"), DeliveryPath.STDOUT);
        }
        // The first one is forgotten (documented bound); the newest ones are still recognised.
        assertTrue(d.firstSighting(EventDecoder.decode("{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,"
                + "\"status\":\"done\",\"message\":\"m0\"}"), DeliveryPath.STDOUT));
        assertFalse(d.firstSighting(EventDecoder.decode("{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,"
                + "\"status\":\"done\",\"message\":\"m99\"}"), DeliveryPath.JSONL));
    }
}

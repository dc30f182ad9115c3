package dev.lb.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.protocol.EventDecoder;
import dev.lb.protocol.EventIdentity;
import dev.lb.protocol.IdentityProbe;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** SeenEvents answers exactly as a set of EventIdentity would, however the seqs arrive. */
class SeenEventsTest {
    private static IdentityProbe.Probe probe(String host, int repetition, String src, long seq) {
        return new IdentityProbe.Probe("r", host, "w", repetition, src, seq);
    }

    @Test
    void randomSightingsOfSeveralStreamsAgreeWithASetOfIdentities() {
        SeenEvents seen = new SeenEvents();
        Set<EventIdentity> reference = new HashSet<>();
        SplittableRandom r = new SplittableRandom(20261201L);
        List<String> hosts = List.of("a", "b");
        List<String> srcs = List.of("agent", "k6[x]");
        for (int i = 0; i < 50_000; i++) {
            // mostly in order, sometimes back or ahead, with seq 0 and repeats
            long seq = r.nextInt(10) == 0 ? r.nextInt(3000) : i / 8;
            IdentityProbe.Probe p = r.nextInt(20) == 0
                    ? new IdentityProbe.Probe(null, hosts.get(r.nextInt(2)), "w", 1, null, seq)
                    : probe(hosts.get(r.nextInt(2)), r.nextInt(2), srcs.get(r.nextInt(2)), seq);
            assertEquals(reference.contains(p.identity()), seen.contains(p), "contains, sighting " + i);
            assertEquals(reference.add(p.identity()), seen.add(p), "add, sighting " + i);
        }
        assertEquals(reference.size(), seen.size());
    }

    @Test
    void seqZeroAndTheLargestSeqAreEventsLikeAnyOther() {
        SeenEvents seen = new SeenEvents();
        assertTrue(seen.add(probe("h", 1, "agent", Long.MAX_VALUE)));
        assertTrue(seen.add(probe("h", 1, "agent", 0)));
        assertTrue(seen.add(probe("h", 1, "agent", 1)));
        assertFalse(seen.add(probe("h", 1, "agent", 0)));
        assertFalse(seen.add(probe("h", 1, "agent", Long.MAX_VALUE)));
        assertEquals(3, seen.size());
    }

    @Test
    void aNullRunIdOrSrcIsAStreamOfItsOwn() {
        SeenEvents seen = new SeenEvents();
        assertTrue(seen.add(new IdentityProbe.Probe(null, "h", "w", 1, null, 1)));
        assertTrue(seen.add(new IdentityProbe.Probe("", "h", "w", 1, null, 1)));
        assertTrue(seen.add(new IdentityProbe.Probe(null, "h", "w", 1, "", 1)));
        assertFalse(seen.add(new IdentityProbe.Probe(null, "h", "w", 1, null, 1)));
    }

    @Test
    void decodedEventsShareTheStreamsOfProbedOnesAndEventsWithoutSeqAreKnownByTheirPayload() throws Exception {
        SeenEvents seen = new SeenEvents();
        assertTrue(seen.add(probe("h", 1, "agent", 5)));
        assertFalse(seen.add(EventDecoder.decode("{\"run_id\":\"r\",\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,"
                + "\"status\":\"running\",\"src\":\"agent\",\"seq\":5,\"message\":\"other text, same event\"}")));
        String noSeq = "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"message\":\"m\"}";
        assertTrue(seen.add(EventDecoder.decode(noSeq)));
        assertFalse(seen.add(EventDecoder.decode(noSeq.replace("{\"host\":\"h\",", "{\"host\": \"h\", "))));
        assertTrue(seen.add(EventDecoder.decode(noSeq.replace("\"m\"", "\"n\""))));
        assertEquals(3, seen.size());
    }
}

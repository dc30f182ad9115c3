package dev.lb.controller.cli;

import static dev.lb.controller.cli.SeenEvents.Sighting.NEW;
import static dev.lb.controller.cli.SeenEvents.Sighting.OTHER;
import static dev.lb.controller.cli.SeenEvents.Sighting.SAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.lb.protocol.Event;
import dev.lb.protocol.EventDecoder;
import dev.lb.protocol.EventIdentity;
import dev.lb.protocol.IdentityProbe;
import dev.lb.protocol.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * SeenEvents answers exactly as a map from EventIdentity to the content first seen would, however the seqs arrive:
 * new, a duplicate (same content), or a conflict (other content).
 */
class SeenEventsTest {
    private static IdentityProbe.Probe probe(String host, int repetition, String src, long seq) {
        return new IdentityProbe.Probe("r", host, "w", repetition, src, seq);
    }

    private static SeenEvents.Sighting expected(Map<EventIdentity, Long> reference, EventIdentity id, long print,
            boolean add) {
        Long first = reference.get(id);
        if (first == null) {
            if (add) {
                reference.put(id, print);
            }
            return NEW;
        }
        return first == print ? SAME : OTHER;
    }

    @Test
    void randomSightingsOfSeveralStreamsAgreeWithAMapOfIdentitiesToTheirFirstContent() {
        SeenEvents seen = new SeenEvents();
        Map<EventIdentity, Long> reference = new HashMap<>();
        SplittableRandom r = new SplittableRandom(20261201L);
        List<String> hosts = List.of("a", "b");
        List<String> srcs = List.of("agent", "k6[x]");
        for (int i = 0; i < 50_000; i++) {
            // mostly in order, sometimes far back or ahead (past the dense array's reach), with seq 0 and repeats
            int kind = r.nextInt(40);
            long seq = kind == 0 ? r.nextInt(3000) : kind == 1 ? 1_000_000_000L + r.nextInt(50) : i / 8;
            IdentityProbe.Probe p = r.nextInt(20) == 0
                    ? new IdentityProbe.Probe(null, hosts.get(r.nextInt(2)), "w", 1, null, seq)
                    : probe(hosts.get(r.nextInt(2)), r.nextInt(2), srcs.get(r.nextInt(2)), seq);
            long print = r.nextInt(30) == 0 ? 7 : 5; // mostly the same content, sometimes another
            assertEquals(expected(reference, p.identity(), print, false), seen.check(p, print), "check, sighting " + i);
            assertEquals(expected(reference, p.identity(), print, true), seen.add(p, print), "add, sighting " + i);
        }
        assertEquals(reference.size(), seen.size());
    }

    @Test
    void seqZeroAndTheLargestSeqAreEventsLikeAnyOther() {
        SeenEvents seen = new SeenEvents();
        assertEquals(NEW, seen.add(probe("h", 1, "agent", Long.MAX_VALUE), 1));
        assertEquals(NEW, seen.add(probe("h", 1, "agent", 0), 2));
        assertEquals(NEW, seen.add(probe("h", 1, "agent", 1), 3));
        assertEquals(SAME, seen.add(probe("h", 1, "agent", 0), 2));
        assertEquals(OTHER, seen.add(probe("h", 1, "agent", Long.MAX_VALUE), 2));
        assertEquals(3, seen.size());
    }

    @Test
    void aNullRunIdOrSrcIsAStreamOfItsOwn() {
        SeenEvents seen = new SeenEvents();
        assertEquals(NEW, seen.add(new IdentityProbe.Probe(null, "h", "w", 1, null, 1), 1));
        assertEquals(NEW, seen.add(new IdentityProbe.Probe("", "h", "w", 1, null, 1), 1));
        assertEquals(NEW, seen.add(new IdentityProbe.Probe(null, "h", "w", 1, "", 1), 1));
        assertEquals(SAME, seen.add(new IdentityProbe.Probe(null, "h", "w", 1, null, 1), 1));
    }

    @Test
    void decodedEventsShareTheStreamsOfProbedOnesAndEventsWithoutSeqAreKnownByTheirPayload() throws Exception {
        SeenEvents seen = new SeenEvents();
        String first = "{\"run_id\":\"r\",\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\","
                + "\"src\":\"agent\",\"seq\":5,\"message\":\"m\"}";
        assertEquals(NEW, seen.add(probe("h", 1, "agent", 5), SeqPrints.of(first)));
        Event spaced = EventDecoder.decode(first.replace(",\"seq\":5,", ", \"seq\": 5, "));
        assertEquals(SAME, seen.add(spaced, SeqPrints.of(Json.line(spaced.payload()))),
                "the same event written with other spacing");
        Event other = EventDecoder.decode(first.replace("\"m\"", "\"other text, same identity\""));
        assertEquals(OTHER, seen.add(other, SeqPrints.of(Json.line(other.payload()))));
        String noSeq = "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"message\":\"m\"}";
        assertEquals(NEW, seen.add(EventDecoder.decode(noSeq), 0));
        assertEquals(SAME, seen.add(EventDecoder.decode(noSeq.replace("{\"host\":\"h\",", "{\"host\": \"h\", ")), 0));
        assertEquals(NEW, seen.add(EventDecoder.decode(noSeq.replace("\"m\"", "\"n\"")), 0),
                "without seq, other content is another event");
        assertEquals(3, seen.size());
    }

    @Test
    void aPrintIsEqualForEqualTextsAndDiffersForTextsOfOtherLengthOrHash() {
        assertEquals(SeqPrints.of("{\"a\":1}"), SeqPrints.of(new String("{\"a\":1}")));
        assertNotEquals(SeqPrints.of("{\"a\":1}"), SeqPrints.of("{\"a\":2}"), "same length, other hash");
        assertNotEquals(SeqPrints.of("Aa"), SeqPrints.of("AaAa"), "other length");
    }
}

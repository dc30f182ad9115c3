package dev.lb.controller.ingest;

import dev.lb.controller.listener.DeliveryPath;
import dev.lb.controller.listener.PayloadSighting;
import dev.lb.controller.listener.Rejection;
import dev.lb.controller.listener.RejectionKey;
import dev.lb.controller.listener.Sighting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.controller.state.RunState;
import dev.lb.controller.listener.RunListener;
import dev.lb.protocol.Event;
import dev.lb.protocol.RejectReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestTest {
    @TempDir
    Path dir;

    private Ingest ingest(RunListener view) throws Exception {
        Ingest i = new Ingest(new Deduplicator(1000), Journal.create(dir), new RunState(List.of("h"), List.of("w"), 1),
                view);
        i.start();
        return i;
    }

    private static Sighting seen(Event e, DeliveryPath p) {
        return new Sighting(e, p, System.currentTimeMillis(), "test", 1);
    }

    @Test
    void duplicateFromStdoutAndJsonlJournaledOnce() throws Exception {
        List<Long> shown = new ArrayList<>();
        Ingest ingest = ingest(new RunListener() {
            @Override
            public void accepted(Sighting s, RunState state) {
                shown.add(s.event().seq());
            }
        });
        for (int i = 1; i <= 100; i++) {
            ingest.submit(seen(DeduplicatorTest.ev(i, "m"), DeliveryPath.STDOUT));
            ingest.submit(seen(DeduplicatorTest.ev(i, "m"), DeliveryPath.JSONL));
        }
        assertTrue(ingest.drain(10, TimeUnit.SECONDS));
        List<String> journal = Files.readAllLines(dir.resolve(Journal.FILE));
        assertEquals(100, journal.size());
        assertTrue(journal.get(0).matches("\\{\"received\":\\d+\\.\\d{3},\"path\":\"stdout\",\"event\":\\{.*\"seq\":1,.*}}"),
                journal.get(0));
        assertEquals(100, shown.size());
        assertEquals(100, ingest.dedupe().byBoth());
    }

    @Test
    void aFailingViewNeverStopsIngestNorTheJournalButEndsTheRunWithItsReason() throws Exception {
        Ingest ingest = ingest(new RunListener() {
            @Override
            public void accepted(Sighting s, RunState state) {
                throw new IllegalStateException("view bug");
            }
        });
        for (int i = 1; i <= 10; i++) {
            ingest.submit(seen(DeduplicatorTest.ev(i, "m"), DeliveryPath.JSONL));
        }
        assertTrue(ingest.drain(10, TimeUnit.SECONDS));
        assertEquals(10, Files.readAllLines(dir.resolve(Journal.FILE)).size());
        assertTrue(ingest.failure().getMessage().contains("the view failed"), String.valueOf(ingest.failure()));
    }

    @Test
    void eventsAlreadyJournalledCountForDedupeButAreNotWrittenAgain() throws Exception {
        Ingest ingest = ingest(RunListener.NONE);
        for (int i = 1; i <= 3; i++) {
            ingest.known(seen(DeduplicatorTest.ev(i, "m"), DeliveryPath.STDOUT));
        }
        for (int i = 1; i <= 5; i++) {
            ingest.submit(seen(DeduplicatorTest.ev(i, "m"), DeliveryPath.RECOVERED));
        }
        assertTrue(ingest.drain(10, TimeUnit.SECONDS));
        assertEquals(2, Files.readAllLines(dir.resolve(Journal.FILE)).size());
        assertEquals(2, ingest.dedupe().recovered());
        assertEquals(5, ingest.dedupe().accepted());
    }

    @Test
    void rejectionsAreCountedByReasonWithExamples() throws Exception {
        Ingest ingest = ingest(RunListener.NONE);
        ingest.rejected(new Rejection("ansible.log", 7, RejectReason.TRUNCATED_JSON, "cut", 3, "{\"h"),
                RejectionKey.of("cut", 3, "a"), DeliveryPath.STDOUT);
        ingest.rejected(new Rejection("ansible.log", 9, RejectReason.TRUNCATED_JSON, "cut", 1, "{"),
                RejectionKey.of("cut", 1, "b"), DeliveryPath.STDOUT);
        assertTrue(ingest.drain(10, TimeUnit.SECONDS));
        assertEquals(2L, ingest.rejectedByReason().get(RejectReason.TRUNCATED_JSON));
        assertEquals("ansible.log:7:3: truncated JSON: cut | {\"h", ingest.rejectedExamples().get(0));
    }

    private static PayloadSighting framed(String line, DeliveryPath p, long lineNo) {
        var payload = (dev.lb.protocol.Extraction.Payload) new dev.lb.protocol.LbEventExtractor().frame(line).get(0);
        return new PayloadSighting(payload, dev.lb.protocol.IdentityProbe.read(payload.json()), p,
                System.currentTimeMillis(), p == DeliveryPath.STDOUT ? "ansible.log" : "events.jsonl", lineNo, null);
    }

    @Test
    void anEventOnBothPathsIsDecodedOnce() throws Exception {
        Ingest ingest = ingest(RunListener.NONE);
        for (int i = 1; i <= 50; i++) {
            String line = "LB_EVENT " + DeduplicatorTest.ev(i, "m").payloadJson();
            ingest.submit(framed(line, DeliveryPath.STDOUT, i));
            ingest.submit(framed(line, DeliveryPath.JSONL, i));
        }
        assertTrue(ingest.drain(10, TimeUnit.SECONDS));
        assertEquals(50, ingest.decoded(), "the second sighting of each is known by its identity");
        assertEquals(50, ingest.dedupe().byBoth());
        assertEquals(50, Files.readAllLines(dir.resolve(Journal.FILE)).size());
    }

    /**
     * Issue 29: a forged event with a real event's identity (run, host, workload, repetition, src, seq) and other
     * content was merged as a duplicate without a word. It is a conflict, named, on every path; the one accepted
     * first stays; re-serialised (other key order, spacing) it is the same event.
     */
    @Test
    void sameIdentityWithOtherContentIsANamedConflictNeverAMerge() throws Exception {
        Ingest ingest = ingest(RunListener.NONE);
        String real = "LB_EVENT " + DeduplicatorTest.ev(5, "the real one").payloadJson();
        String forged = "LB_EVENT " + DeduplicatorTest.ev(5, "forged").payloadJson();
        ingest.submit(framed(real, DeliveryPath.STDOUT, 1));
        ingest.submit(framed(real, DeliveryPath.JSONL, 1));
        ingest.submit(framed(forged, DeliveryPath.STDOUT, 2));
        ingest.submit(framed(forged, DeliveryPath.JSONL, 2));
        ingest.submit(seen(DeduplicatorTest.ev(5, "forged"), DeliveryPath.RECOVERED));
        var reordered = (com.fasterxml.jackson.databind.node.ObjectNode) dev.lb.protocol.Json.MAPPER.readTree(
                DeduplicatorTest.ev(5, "the real one").payloadJson());
        var copy = dev.lb.protocol.Json.MAPPER.createObjectNode();
        List<String> names = new ArrayList<>();
        reordered.fieldNames().forEachRemaining(names::add);
        java.util.Collections.reverse(names);
        names.forEach(n -> copy.set(n, reordered.get(n)));
        ingest.submit(framed("LB_EVENT  " + copy.toPrettyString().replace("\n", " "), DeliveryPath.RECOVERED, 3));
        assertTrue(ingest.drain(10, TimeUnit.SECONDS));
        List<String> journal = Files.readAllLines(dir.resolve(Journal.FILE));
        assertEquals(1, journal.size());
        assertTrue(journal.get(0).contains("the real one"), journal.get(0));
        assertEquals(java.util.Map.of(RejectReason.CONFLICT, 1L), ingest.rejectedByReason(), "one forged event");
        String example = ingest.rejectedExamples().get(0);
        assertTrue(example.startsWith("ansible.log:2:1: conflict: the identity of an accepted event (h w rep 1 agent"
                + " seq 5) with other content; the one accepted first is kept"), example);
        assertEquals(1, ingest.dedupe().byBoth());
        assertEquals(0, ingest.dedupe().recovered());
    }

    /**
     * The accepted event's content is read back from the journal when a later sighting comes in other text (here
     * non-ASCII written as \\u escapes, as a JSON encoder with ensure_ascii prints it): the same content merges,
     * other content is a conflict, whether the accepted record is still batched or already written.
     */
    @Test
    void aSightingInOtherTextIsComparedWithTheAcceptedOneReadBackFromTheJournal() throws Exception {
        Ingest ingest = ingest(RunListener.NONE);
        for (int i = 1; i <= 40; i++) {
            String plain = "LB_EVENT " + DeduplicatorTest.ev(i, "caf\u00e9 \u2603 " + i).payloadJson();
            String escaped = plain.replace("\u00e9", "\\u00e9").replace("\u2603", "\\u2603");
            assertTrue(!plain.equals(escaped) && plain.contains("\u00e9"), escaped);
            ingest.submit(framed(plain, DeliveryPath.STDOUT, i));
            if (i % 2 == 0) {
                assertTrue(ingest.drain(10, TimeUnit.SECONDS), "written to the file before the next sighting");
            }
            ingest.submit(framed(escaped, DeliveryPath.JSONL, i));
            ingest.submit(framed("LB_EVENT " + DeduplicatorTest.ev(i, "forged " + i).payloadJson(),
                    DeliveryPath.JSONL, 100 + i));
        }
        assertTrue(ingest.drain(10, TimeUnit.SECONDS));
        List<String> journal = Files.readAllLines(dir.resolve(Journal.FILE));
        assertEquals(40, journal.size());
        assertEquals(40, ingest.dedupe().byBoth(), "each escaped copy merged into its event");
        assertEquals(java.util.Map.of(RejectReason.CONFLICT, 40L), ingest.rejectedByReason(), "each forged one named");
        assertEquals(120, ingest.decoded(), "every sighting in text other than the accepted one's is decoded");
    }

    @Test
    void aRejectionOnBothPathsIsOneRejectionListingBothPlaces() throws Exception {
        Ingest ingest = ingest(RunListener.NONE);
        String bad = "LB_EVENT {\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"bogus\",\"seq\":1}";
        ingest.submit(framed(bad, DeliveryPath.STDOUT, 7));
        ingest.submit(framed(bad, DeliveryPath.JSONL, 3));
        assertTrue(ingest.drain(10, TimeUnit.SECONDS));
        assertEquals(java.util.Map.of(RejectReason.UNKNOWN_VALUE, 1L), ingest.rejectedByReason());
        String example = ingest.rejectedExamples().get(0);
        assertTrue(example.startsWith("ansible.log:7:1: unknown value: field 'status' is \"bogus\""), example);
        assertTrue(example.endsWith("(also at events.jsonl:3)"), example);
    }

    @Test
    void aSeqOfZeroIsRejectedWithItsReasonNeverTakenForAnEventAlreadySeen() throws Exception {
        Ingest ingest = ingest(RunListener.NONE);
        String zero = "LB_EVENT {\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"seq\":0}";
        ingest.submit(framed(zero, DeliveryPath.STDOUT, 1));
        ingest.submit(framed("LB_EVENT " + DeduplicatorTest.ev(1, "m").payloadJson(), DeliveryPath.STDOUT, 2));
        assertTrue(ingest.drain(10, TimeUnit.SECONDS));
        assertEquals(java.util.Map.of(RejectReason.OUT_OF_RANGE, 1L), ingest.rejectedByReason());
        assertTrue(ingest.rejectedExamples().get(0).contains("field 'seq' is 0, below 1"), ingest.rejectedExamples().get(0));
        assertEquals(0, ingest.dedupe().duplicates(), "nothing was dropped as a duplicate");
        assertEquals(1, Files.readAllLines(dir.resolve(Journal.FILE)).size());
    }

    @Test
    void theSameBadLineWrittenTwiceIsTwoRejectionsHoweverManyPathsCarryIt() throws Exception {
        Ingest ingest = ingest(RunListener.NONE);
        String bad = "LB_EVENT {\"host\":\"h\"";
        for (DeliveryPath p : List.of(DeliveryPath.JSONL, DeliveryPath.JSONL, DeliveryPath.STDOUT, DeliveryPath.STDOUT,
                DeliveryPath.RECOVERED)) {
            var x = (dev.lb.protocol.Extraction.Rejected) new dev.lb.protocol.LbEventExtractor().frame(bad).get(0);
            ingest.rejected(new Rejection(p.wireName(), 1, x.reason(), x.detail(), x.column(), x.snippet()),
                    RejectionKey.of(x.reason().name(), x.column(), bad), p);
        }
        assertTrue(ingest.drain(10, TimeUnit.SECONDS));
        assertEquals(java.util.Map.of(RejectReason.TRUNCATED_JSON, 2L), ingest.rejectedByReason());
    }

    @Test
    void finalStateIsNotUndoneByALateRunningLine() throws Exception {
        Ingest ingest = ingest(RunListener.NONE);
        Event done = dev.lb.protocol.EventDecoder.decode("{\"run_id\":\"r\",\"host\":\"h\",\"workload\":\"w\","
                + "\"repetition\":1,\"total_repetitions\":1,\"status\":\"done\",\"src\":\"agent\",\"seq\":3}");
        ingest.submit(seen(done, DeliveryPath.STDOUT));
        ingest.submit(seen(DeduplicatorTest.ev(2, "late line"), DeliveryPath.JSONL));
        assertTrue(ingest.drain(10, TimeUnit.SECONDS));
        assertEquals("done", ingest.state().snapshot().get(0).state());
        assertTrue(ingest.state().allDone());
    }
}

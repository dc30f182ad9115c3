package dev.lb.controller.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.controller.listener.DeliveryPath;
import dev.lb.controller.listener.Rejection;
import dev.lb.controller.listener.RunListener;
import dev.lb.controller.listener.Sighting;
import dev.lb.controller.state.RunState;
import dev.lb.protocol.Event;
import dev.lb.protocol.EventDecoder;
import dev.lb.protocol.RejectReason;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A valid event is accepted only for the run, host and plan it belongs to. */
class AttributionTest {
    private static final Attribution RUN = Attribution.of("r1", List.of("web-1", "web-2"), List.of("fio"), 2);

    @TempDir
    Path dir;

    private static Event ev(String runId, String host, String workload, int rep) throws Exception {
        return EventDecoder.decode("{\"run_id\":\"" + runId + "\",\"host\":\"" + host + "\",\"workload\":\"" + workload
                + "\",\"repetition\":" + rep + ",\"status\":\"running\",\"src\":\"agent\",\"seq\":1}");
    }

    private static RejectReason check(Event e, String deliveredBy) {
        Rejection r = RUN.check(new Sighting(e, DeliveryPath.JSONL, 0, "events.jsonl", 7, deliveredBy));
        return r == null ? null : r.reason();
    }

    @Test
    void anEventOfThePlanIsAccepted() throws Exception {
        assertNull(check(ev("r1", "web-1", "fio", 2), "web-1"));
        assertNull(check(ev("r1", "web-2", "fio", 1), null), "stdout does not say who delivered: the plan decides");
    }

    @Test
    void runLevelStreamsAreAcceptedAtRepetitionZero() throws Exception {
        assertNull(check(ev("r1", "web-1", "containers", 0), "web-1"));
        assertNull(check(ev("r1", "web-1", "(setup)", 0), "web-1"));
        assertNull(check(ev("r1", "web-1", "(finish)", 0), "web-1"));
        assertNull(check(ev("r1", "web-1", "(system)", 0), "web-1"));
        assertEquals(RejectReason.UNKNOWN_WORKLOAD, check(ev("r1", "web-1", "containers", 1), "web-1"));
        assertEquals(RejectReason.FOREIGN_HOST, check(ev("r1", "web-1", "(system)", 0), "web-2"),
                "a host reports only its own system");
    }

    @Test
    void anotherRunsEventIsForeign() throws Exception {
        assertEquals(RejectReason.FOREIGN_RUN, check(ev("r0", "web-1", "fio", 1), "web-1"));
    }

    @Test
    void aHostOutsideTheRunOrSpeakingForAnotherIsForeign() throws Exception {
        assertEquals(RejectReason.FOREIGN_HOST, check(ev("r1", "ghost", "fio", 1), null));
        assertEquals(RejectReason.FOREIGN_HOST, check(ev("r1", "web-2", "fio", 1), "web-1"));
    }

    @Test
    void aWorkloadOrRepetitionOutsideThePlanIsUnknown() throws Exception {
        assertEquals(RejectReason.UNKNOWN_WORKLOAD, check(ev("r1", "web-1", "phantom", 1), "web-1"));
        assertEquals(RejectReason.UNKNOWN_WORKLOAD, check(ev("r1", "web-1", "fio", 3), "web-1"));
    }

    @Test
    void aPhantomNeverBecomesARowAndIsOneRejectionWhateverPathsCarryIt() throws Exception {
        RunState state = new RunState(List.of("web-1", "web-2"), List.of("fio"), 2);
        Ingest ingest = new Ingest(new Deduplicator(100), Journal.create(dir), state, new RunListener() {
        }, RUN);
        ingest.start();
        Event phantom = ev("r1", "web-1", "phantom", 1);
        ingest.submit(new Sighting(phantom, DeliveryPath.STDOUT, 0, "ansible.log", 3));
        ingest.submit(new Sighting(phantom, DeliveryPath.JSONL, 0, "events.jsonl", 4, "web-1"));
        ingest.submit(new Sighting(phantom, DeliveryPath.RECOVERED, 0, "artifacts/web-1/lb_events.stream.log", 9, "web-1"));
        ingest.submit(new Sighting(ev("r1", "web-1", "fio", 1), DeliveryPath.STDOUT, 0, "ansible.log", 5));
        assertTrue(ingest.drain(5, TimeUnit.SECONDS));
        assertEquals(Map.of(RejectReason.UNKNOWN_WORKLOAD, 1L), ingest.rejectedByReason());
        assertEquals(1, ingest.dedupe().accepted());
        assertTrue(state.snapshot().stream().noneMatch(r -> r.workload().equals("phantom")), "no phantom row");
        assertTrue(ingest.rejectedExamples().get(0).contains("workload 'phantom' is not in this run"),
                ingest.rejectedExamples().toString());
    }
}

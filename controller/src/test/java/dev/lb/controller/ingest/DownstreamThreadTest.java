package dev.lb.controller.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.controller.listener.Rejection;
import dev.lb.controller.listener.RejectionKey;
import dev.lb.protocol.Extraction;
import dev.lb.protocol.RejectReason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The downstream sees exactly the calls made, in order, on a thread of its own; nothing it throws is lost. */
class DownstreamThreadTest {
    /** Records every call as text, and the thread it came on. */
    private static final class Recorder implements LineExtractor.Downstream {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        volatile Thread thread;

        @Override
        public void payload(Extraction.Payload payload, String source, long line, String deliveredBy) {
            thread = Thread.currentThread();
            calls.add(source + ":" + line + " " + payload.json() + " by " + deliveredBy);
        }

        @Override
        public void rejected(Rejection rejection, RejectionKey key) {
            thread = Thread.currentThread();
            calls.add("rejected " + rejection.describe() + " " + key);
        }
    }

    private static Extraction.Payload payload(int i) {
        return new Extraction.Payload("{\"n\":" + i + "}", 1, "{\"n\":");
    }

    @Test
    void everyCallArrivesInTheOrderItWasMadeAcrossManyBatches() {
        Recorder recorder = new Recorder();
        List<String> expected = new ArrayList<>();
        DownstreamThread thread = new DownstreamThread("test-judge", recorder, () -> { });
        for (int i = 0; i < DownstreamThread.BATCH * 5 + 7; i++) {
            if (i % 97 == 0) {
                Rejection r = new Rejection("f", i, RejectReason.NO_JSON, "detail " + i, 1, "");
                thread.rejected(r, new RejectionKey(i, i));
                expected.add("rejected " + r.describe() + " " + new RejectionKey(i, i));
            } else {
                thread.payload(payload(i), "f", i, i % 2 == 0 ? "web-1" : null);
                expected.add("f:" + i + " {\"n\":" + i + "} by " + (i % 2 == 0 ? "web-1" : null));
            }
            if (i % 300 == 0) {
                thread.handOver();
            }
        }
        thread.close();
        assertEquals(expected, recorder.calls);
        assertNotEquals(Thread.currentThread(), recorder.thread, "judged on a thread of its own");
    }

    @Test
    void drainReturnsOnceEveryCallSoFarHasArrived() {
        Recorder recorder = new Recorder();
        DownstreamThread thread = new DownstreamThread("test-judge", recorder, () -> { });
        for (int i = 0; i < 10; i++) {
            thread.payload(payload(i), "f", i, null);
        }
        thread.drain();
        assertEquals(10, recorder.calls.size(), "no handOver needed first");
        thread.close();
    }

    @Test
    void idleRunsOnceTheDownstreamHasCaughtUp() throws Exception {
        Recorder recorder = new Recorder();
        CountDownLatch caughtUp = new CountDownLatch(1);
        DownstreamThread thread = new DownstreamThread("test-judge", recorder, () -> {
            if (recorder.calls.size() == 1) {
                caughtUp.countDown();
            }
        });
        thread.payload(payload(1), "f", 1, null);
        thread.handOver();
        assertTrue(caughtUp.await(10, TimeUnit.SECONDS), "idle ran after the batch was replayed");
        thread.close();
    }

    @Test
    void aFailureOfTheDownstreamIsThrownOnTheCallersSide() {
        IllegalStateException bug = new IllegalStateException("downstream bug");
        LineExtractor.Downstream failing = new LineExtractor.Downstream() {
            @Override
            public void payload(Extraction.Payload payload, String source, long line, String deliveredBy) {
                throw bug;
            }

            @Override
            public void rejected(Rejection rejection, RejectionKey key) {
            }
        };
        DownstreamThread thread = new DownstreamThread("test-judge", failing, () -> { });
        thread.payload(payload(1), "f", 1, null);
        assertSame(bug, assertThrows(IllegalStateException.class, thread::drain));
        assertSame(bug, assertThrows(IllegalStateException.class, thread::close));
    }
}

package dev.lb.controller.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.protocol.LineSplitter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FramingThreadTest {
    /** Records what reaches the sink, and on which thread. */
    private static final class Recorder implements LineSplitter.Sink {
        final List<String> out = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();

        @Override
        public void line(String line) {
            throw new AssertionError("the framing thread always passes on what the splitter saw");
        }

        @Override
        public void line(String line, boolean controls) {
            out.add((controls ? "C " : "- ") + line);
            threads.add(Thread.currentThread());
        }

        @Override
        public void tooLong(String head, long lengthBytes) {
            out.add("TOO_LONG(" + lengthBytes + ") " + head);
            threads.add(Thread.currentThread());
        }
    }

    @Test
    void everyLineReachesTheSinkOnItsThreadInTheOrderItWasSplitWithWhatTheSplitterSaw() {
        Recorder r = new Recorder();
        List<String> batches = new ArrayList<>();
        FramingThread framing = new FramingThread("test-framing", r,
                () -> batches.add(Thread.currentThread().getName() + " " + r.out.size()));
        List<String> expected = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(20261207L);
        for (int i = 0; i < 10_000; i++) {
            switch (random.nextInt(3)) {
                case 0 -> {
                    framing.line("line " + i, false);
                    expected.add("- line " + i);
                }
                case 1 -> {
                    framing.line("line " + i, true);
                    expected.add("C line " + i);
                }
                default -> {
                    framing.tooLong("head " + i, 1_000_000L + i);
                    expected.add("TOO_LONG(" + (1_000_000L + i) + ") head " + i);
                }
            }
            if (random.nextInt(500) == 0) {
                framing.handOver();
            }
        }
        framing.drain();
        assertEquals(expected, r.out); // visible to the caller once drained
        framing.close();
        assertTrue(r.threads.stream().allMatch(t -> t.getName().equals("test-framing")));
        // After each batch, on the framing thread, when all of that batch had reached the sink.
        assertTrue(batches.size() >= 10_000 / FramingThread.BATCH, batches.toString());
        assertTrue(batches.stream().allMatch(b -> b.startsWith("test-framing ")), batches.toString());
        assertEquals("test-framing 10000", batches.get(batches.size() - 1));
    }

    @Test
    void aFailureOfTheSinkIsThrownOnTheCallersSide() {
        IllegalStateException boom = new IllegalStateException("sink failed");
        FramingThread framing = new FramingThread("test-framing", new LineSplitter.Sink() {
            @Override
            public void line(String line) {
                throw boom;
            }

            @Override
            public void tooLong(String head, long lengthBytes) {
            }
        }, () -> { });
        framing.line("x", false);
        assertSame(boom, assertThrows(IllegalStateException.class, framing::drain));
        framing.line("y", false);
        assertSame(boom, assertThrows(IllegalStateException.class, framing::close));
    }
}

package dev.lb.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.results.Metric;
import dev.lb.results.Unit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MetricsSamplerTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    /** A source that counts its readings: reading n gives {@code load1 = n}. */
    private static final class CountingSource implements MetricSource {
        final AtomicInteger readings = new AtomicInteger();

        @Override
        public List<Metric> sample(long monotonicNanos) {
            return List.of(new Metric("load1", readings.incrementAndGet(), Unit.COUNT));
        }
    }

    @Test
    void startPrimesThenEachIntervalHandsOnASampleAndCloseStopsThem() throws Exception {
        CountingSource source = new CountingSource();
        List<MetricsSampler.Sample> got = new CopyOnWriteArrayList<>();
        CountDownLatch five = new CountDownLatch(5);
        MetricsSampler sampler = new MetricsSampler(Duration.ofMillis(10), source, CLOCK, s -> {
            got.add(s);
            five.countDown();
        });
        sampler.start();
        assertTrue(five.await(10, TimeUnit.SECONDS), "5 samples within 10 s at a 10 ms interval");
        sampler.close();
        int afterClose = got.size();
        Thread.sleep(100);
        assertEquals(afterClose, got.size(), "no sample after close()");
        assertEquals(afterClose, sampler.samples());
        assertEquals(afterClose + 1, source.readings.get(), "one priming reading, not handed on");
        assertEquals(new MetricsSampler.Sample(T0, List.of(new Metric("load1", 2, Unit.COUNT))), got.get(0));
        for (int i = 0; i < got.size(); i++) {
            assertEquals(i + 2.0, got.get(i).metrics().get(0).value(), "in order, none skipped");
        }
        assertEquals(0, sampler.failures());
    }

    @Test
    void aZeroIntervalTurnsSamplingOff() throws Exception {
        CountingSource source = new CountingSource();
        MetricsSampler sampler = new MetricsSampler(Duration.ZERO, source, CLOCK, s -> { });
        sampler.start();
        Thread.sleep(50);
        sampler.close();
        assertEquals(0, source.readings.get());
        assertEquals(0, sampler.samples());
    }

    @Test
    void aNegativeIntervalIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MetricsSampler(Duration.ofSeconds(-1), new CountingSource(), CLOCK, s -> { }));
        assertEquals("metrics interval is negative: PT-1S", e.getMessage());
    }

    @Test
    void aConsumerThatThrowsIsCountedAndSamplingGoesOn() throws Exception {
        CountingSource source = new CountingSource();
        CountDownLatch sixTries = new CountDownLatch(6);
        AtomicInteger delivered = new AtomicInteger();
        MetricsSampler sampler = new MetricsSampler(Duration.ofMillis(5), source, CLOCK, s -> {
            sixTries.countDown();
            if (s.metrics().get(0).value() % 2 == 0) {
                throw new IllegalStateException("consumer bug on sample " + s.metrics().get(0).value());
            }
            delivered.incrementAndGet();
        });
        sampler.start();
        assertTrue(sixTries.await(10, TimeUnit.SECONDS), "sampling survives a throwing consumer");
        sampler.close();
        // Readings 2, 4, 6, ... threw; 3, 5, 7, ... went through.
        assertEquals(sampler.samples(), sampler.failures() + delivered.get());
        assertEquals((sampler.samples() + 1) / 2, sampler.failures());
        assertTrue(sampler.failures() >= 3, "failures " + sampler.failures());
    }

    @Test
    void aSourceThatThrowsIsCountedAndSamplingGoesOn() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch twoSamples = new CountDownLatch(2);
        MetricSource flaky = nanos -> {
            if (calls.incrementAndGet() <= 3) {
                throw new IllegalStateException("source bug " + calls.get());
            }
            return List.of(new Metric("load1", calls.get(), Unit.COUNT));
        };
        MetricsSampler sampler = new MetricsSampler(Duration.ofMillis(5), flaky, CLOCK, s -> twoSamples.countDown());
        sampler.start();
        assertTrue(twoSamples.await(10, TimeUnit.SECONDS), "sampling survives a throwing source");
        sampler.close();
        assertEquals(3, sampler.failures(), "the priming reading and the next two threw");
        assertTrue(sampler.samples() >= 2);
    }

    @Test
    void aSampleWithNoMetricsIsNotHandedOn() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch fiveReadings = new CountDownLatch(5);
        MetricsSampler sampler = new MetricsSampler(Duration.ofMillis(5), nanos -> {
            calls.incrementAndGet();
            fiveReadings.countDown();
            return List.of();
        }, CLOCK, s -> {
            throw new AssertionError("handed on an empty sample");
        });
        sampler.start();
        assertTrue(fiveReadings.await(10, TimeUnit.SECONDS));
        sampler.close();
        assertEquals(0, sampler.samples());
        assertEquals(0, sampler.failures());
    }

    @Test
    void startingTwiceIsABug() {
        MetricsSampler sampler = new MetricsSampler(Duration.ofSeconds(1), new CountingSource(), CLOCK, s -> { });
        sampler.start();
        try {
            assertThrows(IllegalStateException.class, sampler::start);
        } finally {
            sampler.close();
        }
    }
}

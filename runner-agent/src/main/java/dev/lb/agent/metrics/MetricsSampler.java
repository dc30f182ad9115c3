package dev.lb.agent.metrics;

import dev.lb.results.Metric;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples a {@link MetricSource} every {@code interval} on a daemon thread and hands each sample to a consumer.
 * {@link #start()} primes the source (the first reading has no rates), so the first sample arrives one interval
 * later with every metric. An interval of zero turns sampling off. A sample with no metrics at all (every file
 * unreadable, already reported by the source) is not handed on.
 *
 * <p>Samples are spaced by a fixed delay, not a fixed rate: after a stall (a long GC, a suspended VM) sampling
 * resumes at the interval instead of catching up with a burst of samples a few microseconds apart. An exception
 * from the source or the consumer is counted and logged (the 1st, 2nd, 4th, 8th... time, with the count) and
 * sampling goes on. {@link #close()} returns once no sample is being taken or handed on, so nothing arrives after
 * it, e.g. after a repetition's final event.
 */
public final class MetricsSampler implements AutoCloseable {
    /** One sample: when it was taken, what it read, and the text that goes with it ({@link MetricSource#labels}). */
    public record Sample(Instant time, List<Metric> metrics, Map<String, String> labels) {
        public Sample {
            metrics = List.copyOf(metrics);
            labels = Map.copyOf(labels);
        }

        public Sample(Instant time, List<Metric> metrics) {
            this(time, metrics, Map.of());
        }
    }

    private static final Logger log = LoggerFactory.getLogger(MetricsSampler.class);
    private static final long CLOSE_WAIT_MS = 5_000;

    private final Duration interval;
    private final MetricSource source;
    private final Clock clock;
    private final Consumer<Sample> consumer;
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private ScheduledExecutorService executor;

    public MetricsSampler(Duration interval, MetricSource source, Clock clock, Consumer<Sample> consumer) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("metrics interval is negative: " + interval);
        }
        this.interval = interval;
        this.source = source;
        this.clock = clock;
        this.consumer = consumer;
    }

    /** Primes the source and starts sampling; does nothing when the interval is zero. */
    public synchronized void start() {
        if (executor != null) {
            throw new IllegalStateException("metrics sampler already started");
        }
        if (interval.isZero()) {
            return;
        }
        try {
            source.sample(System.nanoTime());
        } catch (RuntimeException e) {
            failed("priming the system metrics", e);
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lb-metrics");
            t.setDaemon(true);
            return t;
        });
        long nanos = interval.toNanos();
        executor.scheduleWithFixedDelay(this::tick, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    private void tick() {
        try {
            List<Metric> metrics = source.sample(System.nanoTime());
            if (metrics.isEmpty()) {
                return;
            }
            Sample sample = new Sample(clock.instant(), metrics, source.labels());
            samples.incrementAndGet();
            consumer.accept(sample);
        } catch (RuntimeException e) {
            failed("a system metrics sample", e); // caught here: an exception would cancel every later sample
        } catch (Error e) {
            log.error("system metrics sampling stopped: {}", e.toString());
            throw e;
        }
    }

    private void failed(String what, RuntimeException e) {
        long n = failures.incrementAndGet();
        if (Long.bitCount(n) == 1) {
            log.warn("{} failed ({} failure{} so far; sampling goes on)", what, n, n == 1 ? "" : "s", e);
        }
    }

    /** Samples handed to the consumer so far. */
    public long samples() {
        return samples.get();
    }

    /** Exceptions from the source or the consumer so far. */
    public long failures() {
        return failures.get();
    }

    /**
     * Stops sampling and waits for a sample in progress, so nothing reaches the consumer after this returns; a
     * sample still busy after 5 s is interrupted (and that is logged).
     */
    @Override
    public synchronized void close() {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS)) {
                log.warn("a system metrics sample did not finish within {} ms; interrupting it", CLOSE_WAIT_MS);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}

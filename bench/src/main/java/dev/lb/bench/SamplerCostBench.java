package dev.lb.bench;

import dev.lb.agent.metrics.MetricsSampler;
import dev.lb.agent.metrics.ProcSampler;
import dev.lb.results.Metric;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the agent's system metrics cost on the target: the sampler thread's CPU over a minute of sampling the real
 * /proc at the real 1 s interval (cold caches, nothing warm between samples), then CPU time per {@link ProcSampler}
 * sample on this thread over a tight loop of 10,000 samples.
 */
final class SamplerCostBench {
    private SamplerCostBench() {
    }

    public static void main(String[] args) throws Exception {
        int loopSamples = 10_000;
        int seconds = 60;
        Path out = Path.of("bench/results/sampler-cost.json");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--samples" -> loopSamples = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<String> problems = new CopyOnWriteArrayList<>(); // the sampling thread may add to it
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        // 1. The real thing, first, in a JVM that has run nothing yet (as in the agent, where one sample a second
        // leaves the code interpreted for a while): MetricsSampler at 1 s, its thread's CPU between the first and
        // the last sample.
        AtomicLong firstCpu = new AtomicLong(-1);
        AtomicLong lastCpu = new AtomicLong(-1);
        AtomicLong count = new AtomicLong();
        MetricsSampler periodic = new MetricsSampler(Duration.ofSeconds(1), new ProcSampler(Path.of("/proc"),
                problems::add), Clock.systemUTC(), s -> {
            check(s.metrics(), 9, problems);
            long cpu = threads.getCurrentThreadCpuTime();
            firstCpu.compareAndSet(-1, cpu);
            lastCpu.set(cpu);
            count.incrementAndGet();
        });
        periodic.start();
        Thread.sleep(seconds * 1000L + 500);
        periodic.close();
        long intervals = count.get() - 1;
        if (intervals < 1 || periodic.failures() > 0) {
            throw new IllegalStateException("periodic sampling: " + count.get() + " samples, " + periodic.failures()
                    + " failures");
        }
        double periodicCpuUs = (lastCpu.get() - firstCpu.get()) / 1e3 / intervals;

        // 2. Tight loop: CPU per sample on this thread, after a warm-up so JIT compilation is not measured.
        ProcSampler sampler = new ProcSampler(Path.of("/proc"), problems::add);
        for (int i = 0; i < 1_000; i++) {
            check(sampler.sample(System.nanoTime()), i == 0 ? 0 : 6, problems);
        }
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        for (int i = 0; i < loopSamples; i++) {
            check(sampler.sample(System.nanoTime()), 6, problems);
        }
        double loopCpuUs = (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / loopSamples;
        double loopWallUs = (System.nanoTime() - wall0) / 1e3 / loopSamples;

        double periodicPercent = periodicCpuUs / 1e6 * 100;
        String json = String.format(java.util.Locale.ROOT, "{\"bench\":\"sampler-cost\",\"loop_samples\":%d,"
                        + "\"cpu_us_per_sample\":%.1f,\"wall_us_per_sample\":%.1f,"
                        + "\"periodic_samples\":%d,\"periodic_cpu_us_per_sample\":%.1f,"
                        + "\"periodic_percent_of_core\":%.4f,\"cores\":%d,\"java\":\"%s\"}%n", loopSamples, loopCpuUs,
                loopWallUs, count.get(), periodicCpuUs, periodicPercent,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json);
        System.out.printf(java.util.Locale.ROOT, "at 1 s for %d s: %d samples; tight loop: %,d samples, %.1f us wall"
                + " each; result in %s%n", seconds, count.get(), loopSamples, loopWallUs, out);
        // The figure at 1 s is the one measured at 1 s: a sample a second runs with cold caches and is dearer than
        // one in a tight loop.
        System.out.printf(java.util.Locale.ROOT, "CPU per sample: %.1f us at 1 s (%.1f us in a tight loop); at 1 s:"
                + " %.3f %% of one core (target < 1 %%)%n", periodicCpuUs, loopCpuUs, periodicPercent);
    }

    /**
     * A sample carries at least {@code least} metrics (all nine at 1 s; in the tight loop the CPU shares are left out
     * when no clock tick passed since the previous sample) and nothing was reported: else the figure is void.
     */
    private static void check(List<Metric> metrics, int least, List<String> problems) {
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the sampler reported: " + problems);
        }
        if (metrics.size() < least) {
            throw new IllegalStateException("a sample has " + metrics.size() + " metrics, expected " + least + ": "
                    + metrics);
        }
    }
}

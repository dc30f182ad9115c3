package dev.lb.bench;

import dev.lb.protocol.Extraction;
import dev.lb.protocol.LbEventExtractor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Extractor throughput on one thread: lines/s over the mixed corpus (90% noise), and event lines/s over its event
 * lines alone. Best of several timed passes after warm-up, so JIT compilation is not measured.
 */
final class ExtractorBench {
    private ExtractorBench() {
    }

    public static void main(String[] args) throws IOException {
        int lines = 1_000_000;
        Path out = Path.of("bench/results/extractor.json");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--lines" -> lines = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<String> corpus = AnsibleLikeCorpus.generate(lines, 42);
        List<String> eventLines = corpus.stream().filter(l -> l.contains("LB_EVENT {")
                || l.contains("LB_EVENT {\\\"")).toList();
        LbEventExtractor extractor = new LbEventExtractor();

        long expectedEvents = eventLines.size();
        for (int warm = 0; warm < 3; warm++) {
            check(pass(extractor, corpus), expectedEvents);
        }
        double allNanos = Double.MAX_VALUE;
        double eventNanos = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            check(pass(extractor, corpus), expectedEvents);
            long t1 = System.nanoTime();
            check(pass(extractor, eventLines), expectedEvents);
            long t2 = System.nanoTime();
            allNanos = Math.min(allNanos, t1 - t0);
            eventNanos = Math.min(eventNanos, t2 - t1);
        }
        long linesPerSec = Math.round(corpus.size() / (allNanos / 1e9));
        long eventLinesPerSec = Math.round(eventLines.size() / (eventNanos / 1e9));
        String json = String.format("{\"bench\":\"extractor\",\"lines\":%d,\"event_lines\":%d,\"lines_per_s\":%d,"
                        + "\"event_lines_per_s\":%d,\"cores\":%d,\"java\":\"%s\"}%n", corpus.size(), eventLines.size(),
                linesPerSec, eventLinesPerSec, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json);
        System.out.println("corpus: " + corpus.size() + " lines, " + eventLines.size() + " event lines; result in " + out);
        System.out.printf("extractor: %,d lines/s overall, %,d event lines/s (target 2,000,000 and 500,000)%n",
                linesPerSec, eventLinesPerSec);
    }

    private static long pass(LbEventExtractor extractor, List<String> lines) {
        long events = 0;
        for (String line : lines) {
            for (Extraction x : extractor.extract(line)) {
                if (x instanceof Extraction.Found) {
                    events++;
                } else {
                    throw new IllegalStateException("benchmark corpus produced a rejection: " + x + " in " + line);
                }
            }
        }
        return events;
    }

    private static void check(long found, long expected) {
        if (found != expected) {
            throw new IllegalStateException("extracted " + found + " events, expected " + expected);
        }
    }
}

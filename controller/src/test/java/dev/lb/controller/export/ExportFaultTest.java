package dev.lb.controller.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.controller.config.RunConfig;
import dev.lb.controller.listener.Sighting;
import dev.lb.controller.state.RunSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each exporter against an endpoint that fails: down from the start, going down mid-run, 500s then recovery, 400,
 * accepting and never answering, a queue too small. In each, handing events to the stage never waits, the end of
 * the run is bounded (flush_s plus the last request's time-out), nothing is retried for ever, and every item is
 * either sent or dropped with its reason.
 */
class ExportFaultTest {
    private static final double RETRY_S = 2;
    private static final double FLUSH_S = 3;
    /** What finish() may take at most: the flush time, a batch wait, the join's slack and a margin. */
    private static final long FINISH_BOUND_MILLIS = (long) (FLUSH_S * 1000) + 3_000;

    private final List<String> warnings = new CopyOnWriteArrayList<>();

    private ExportStage stage(String kind, String url, int queueItems) {
        RunConfig.Export settings = new RunConfig.Export(List.of(RunConfig.Export.endpoint(kind, url)), queueItems,
                RunConfig.Export.DEFAULT_BATCH_ITEMS, RETRY_S, FLUSH_S, true, null);
        return ExportStage.start(settings, "faults", List.of("cpu"), warnings::add, Duration.ofSeconds(1));
    }

    private static String path(String kind) {
        return switch (kind) {
            case "remote-write" -> "/api/v1/write";
            case "loki" -> "/loki/api/v1/push";
            default -> "";
        };
    }

    /** The events of a small run, and how many items each kind makes of them. */
    private static List<Sighting> events(double t0, int from, int to) {
        List<Sighting> out = new ArrayList<>();
        if (from == 0) {
            out.add(ExportEvents.system("a", 5, t0));
        }
        for (int i = from; i < to; i++) {
            out.add(ExportEvents.metric("a", "cpu", 1, 10 + i, t0 + i, i, 10));
            out.add(ExportEvents.log("a", "cpu", 1, 1000 + i, t0 + i + 0.5, "line " + i));
        }
        if (from == 0) {
            out.add(ExportEvents.result("a", "cpu", 1, 5000, t0 + 1, 100, false));
        }
        return out;
    }

    private static long items(String kind, List<Sighting> events) {
        return switch (kind) {
            case "remote-write" -> events.stream().mapToLong(s -> s.event().payload().path("metrics").size()).sum();
            case "loki" -> events.size();
            default -> 1; // one push: one workload
        };
    }

    /** Hands the events over, timing it: it must not wait on the network. */
    private static long feed(ExportStage stage, List<Sighting> events) {
        long start = System.nanoTime();
        events.forEach(s -> stage.accepted(s, null));
        return (System.nanoTime() - start) / 1_000_000;
    }

    private record Finished(RunSummary.Export account, long millis) {
    }

    private static Finished finish(ExportStage stage) throws InterruptedException {
        long start = System.nanoTime();
        List<RunSummary.Export> accounts = stage.finish(true, System.currentTimeMillis() / 1000.0);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(1, accounts.size());
        assertTrue(millis <= FINISH_BOUND_MILLIS, "finish took " + millis + " ms");
        return new Finished(accounts.get(0), millis);
    }

    private static void everyItemAccountedFor(RunSummary.Export a, long total) {
        assertEquals(total, a.sent() + a.dropped(), a.describe());
        assertEquals(a.dropped(), a.droppedBy().values().stream().mapToLong(Long::longValue).sum(), a.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"remote-write", "loki", "pushgateway"})
    void endpointDownFromTheStart(String kind) throws Exception {
        ExportStage stage = stage(kind, "http://127.0.0.1:" + MonitoringServers.freePort() + path(kind), 1000);
        List<Sighting> events = events(1_796_600_000, 0, 20);
        assertTrue(feed(stage, events) < 500);
        Finished f = finish(stage);
        assertEquals(0, f.account().sent(), f.account().describe());
        everyItemAccountedFor(f.account(), items(kind, events));
        assertTrue(f.account().retried() > 0, f.account().describe());
        assertFalse(warnings.isEmpty());
        assertTrue(warnings.get(0).startsWith("warning: export to " + kind), warnings.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"remote-write", "loki", "pushgateway"})
    void serverErrorsThenRecovery(String kind) throws Exception {
        try (FakeEndpoint server = new FakeEndpoint(n -> n < 3 ? 500 : 204)) {
            ExportStage stage = stage(kind, server.url(path(kind)), 1000);
            List<Sighting> events = events(1_796_600_000, 0, 20);
            feed(stage, events);
            Finished f = finish(stage);
            assertEquals(items(kind, events), f.account().sent(), f.account().describe());
            assertEquals(0, f.account().dropped());
            assertEquals(3, f.account().retried(), f.account().describe());
            assertEquals(List.of(), warnings);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"remote-write", "loki", "pushgateway"})
    void badRequestDropsWithoutRetrying(String kind) throws Exception {
        try (FakeEndpoint server = FakeEndpoint.always(400)) {
            ExportStage stage = stage(kind, server.url(path(kind)), 1000);
            List<Sighting> events = events(1_796_600_000, 0, 20);
            feed(stage, events);
            Finished f = finish(stage);
            assertEquals(0, f.account().retried());
            assertEquals(Map.of("refused (400)", items(kind, events)), f.account().droppedBy());
            everyItemAccountedFor(f.account(), items(kind, events));
            assertTrue(warnings.get(0).contains("answered 400: test says 400"), warnings.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"remote-write", "loki", "pushgateway"})
    void serverThatAcceptsAndNeverAnswers(String kind) throws Exception {
        try (FakeEndpoint server = FakeEndpoint.always(FakeEndpoint.HANG)) {
            ExportStage stage = stage(kind, server.url(path(kind)), 1000);
            List<Sighting> events = events(1_796_600_000, 0, 20);
            assertTrue(feed(stage, events) < 500);
            Finished f = finish(stage);
            assertEquals(0, f.account().sent());
            everyItemAccountedFor(f.account(), items(kind, events));
            assertTrue(server.requestCount() >= 1);
            assertTrue(warnings.get(0).contains("no answer within 1000 ms"), warnings.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"remote-write", "loki"})
    void endpointGoingDownMidRun(String kind) throws Exception {
        FakeEndpoint server = FakeEndpoint.always(204);
        ExportStage stage = stage(kind, server.url(path(kind)), 1000);
        List<Sighting> before = events(1_796_600_000, 0, 10);
        feed(stage, before);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.requestCount() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(200);
        server.close();
        List<Sighting> after = events(1_796_600_000, 10, 20);
        feed(stage, after);
        Finished f = finish(stage);
        assertEquals(items(kind, before), f.account().sent(), f.account().describe());
        everyItemAccountedFor(f.account(), items(kind, before) + items(kind, after));
        assertTrue(f.account().dropped() > 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"remote-write", "loki"})
    void fullQueueDropsAndCountsWithoutWaiting(String kind) throws Exception {
        try (FakeEndpoint server = FakeEndpoint.always(FakeEndpoint.HANG)) {
            ExportStage stage = stage(kind, server.url(path(kind)), 10);
            List<Sighting> events = events(1_796_600_000, 0, 2_000);
            long millis = feed(stage, events);
            assertTrue(millis < 2_000, "handing over 4,000 events took " + millis + " ms");
            Finished f = finish(stage);
            assertTrue(f.account().droppedBy().getOrDefault(ExportQueue.QUEUE_FULL, 0L) > 0, f.account().describe());
            everyItemAccountedFor(f.account(), items(kind, events));
        }
    }
}

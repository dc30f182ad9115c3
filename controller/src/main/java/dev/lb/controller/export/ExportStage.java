package dev.lb.controller.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.controller.config.RunConfig;
import dev.lb.controller.listener.RunListener;
import dev.lb.controller.listener.Sighting;
import dev.lb.controller.state.RunState;
import dev.lb.controller.state.RunSummary;
import dev.lb.protocol.Event;
import dev.lb.protocol.EventType;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The export stage: fed by the listener events the views get (each event as journalled), it turns them into what
 * each configured exporter sends and queues them; it never waits on a network (see {@link ExportQueue}). At the end
 * ({@link #finish}) the Pushgateway gets the run's statistics, every queue is flushed within the time limit, and the
 * accounts go into the summary.
 *
 * <p>Labels are bounded: host ({@code instance} for Prometheus), workload, metric, unit, event type and level. The
 * run id, repetition and seq never become labels (Loki has them in each line).
 */
public final class ExportStage implements RunListener {
    private static final Pattern NOT_NAME = Pattern.compile("[^a-zA-Z0-9_]");
    static final long BATCH_WAIT_MILLIS = 1_000;

    private final RunConfig.Export settings;
    private final String config;
    private final List<String> workloads;
    private final Consumer<String> warnings;
    private final List<ExportQueue<RemoteWriteExporter.Sample>> remoteWrite = new ArrayList<>();
    private final List<ExportQueue<LokiExporter.Entry>> loki = new ArrayList<>();
    private final List<ExportQueue<PushgatewayExporter.Push>> pushgateway = new ArrayList<>();
    private final List<ExportQueue<?>> all = new ArrayList<>();
    /** Each host's clock offset (target minus controller, ms) from its system information; 0 until known. */
    private final Map<String, Double> offsets = new ConcurrentHashMap<>();
    /** Measured repetitions' result values, per key, for the Pushgateway; written only by the ingest thread. */
    private final SortedMap<PushgatewayExporter.Key, Map<Integer, Double>> results = new TreeMap<>();
    /** Loki stream labels per host, workload, type and level (ingest thread only). */
    private final Map<StreamKey, SortedMap<String, String>> lokiStreams = new java.util.HashMap<>();
    /** Events the stage failed on (ingest thread only). */
    private long failures;
    /** /metrics, or null when not asked for or when its address could not be bound. */
    private final MetricsEndpoint metrics;

    private ExportStage(RunConfig.Export settings, String config, List<String> workloads, Consumer<String> warnings,
                        Duration requestTimeout) {
        this.settings = settings;
        this.config = config;
        this.workloads = workloads;
        this.warnings = warnings;
        this.metrics = settings.metricsListen() == null ? null : serve(settings.metricsListen(), config, warnings);
        HttpEndpoint http = new HttpEndpoint(requestTimeout);
        long retry = (long) (settings.retryS() * 1000);
        for (RunConfig.Endpoint e : settings.endpoints()) {
            String url = e.url().toString();
            switch (e.kind()) {
                case "remote-write" -> add(remoteWrite, new ExportQueue<>(e.kind(), url, settings.queueItems(),
                        settings.batchItems(), BATCH_WAIT_MILLIS, retry, new RemoteWriteExporter(e.url(), http), warnings));
                case "loki" -> add(loki, new ExportQueue<>(e.kind(), url, settings.queueItems(),
                        settings.batchItems(), BATCH_WAIT_MILLIS, retry, new LokiExporter(e.url(), http), warnings));
                case "pushgateway" -> add(pushgateway, new ExportQueue<>(e.kind(), url, 1_000, 1_000,
                        BATCH_WAIT_MILLIS, retry, new PushgatewayExporter(e.url(), http), warnings));
                default -> throw new IllegalArgumentException("unknown export kind '" + e.kind() + "'");
            }
        }
    }

    /** /metrics on its address; an address that cannot be bound costs the run a warning, nothing else. */
    private static MetricsEndpoint serve(String listen, String config, Consumer<String> warnings) {
        try {
            return MetricsEndpoint.start(listen, config, dev.lb.protocol.BuildInfo.describe());
        } catch (java.io.IOException e) {
            warnings.accept("warning: /metrics cannot be served on " + listen + " (" + e.getMessage()
                    + "); the run goes on without it");
            return null;
        }
    }

    /** The port /metrics is served on, or -1. */
    int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    private <T> void add(List<ExportQueue<T>> list, ExportQueue<T> q) {
        list.add(q);
        all.add(q);
    }

    /** The stage for a run, or null when nothing is to be exported. {@code warnings} must be fast and never throw. */
    public static ExportStage start(RunConfig.Export settings, String config, List<String> workloads,
                                    Consumer<String> warnings) {
        return start(settings, config, workloads, warnings, HttpEndpoint.REQUEST_TIMEOUT);
    }

    static ExportStage start(RunConfig.Export settings, String config, List<String> workloads,
                             Consumer<String> warnings, Duration requestTimeout) {
        return settings == null || settings.isEmpty() ? null
                : new ExportStage(settings, config, workloads, warnings, requestTimeout);
    }

    @Override
    public void rejected(dev.lb.controller.listener.Rejection rejection) {
        if (metrics != null) {
            metrics.rejected(rejection);
        }
    }

    @Override
    public void stats(dev.lb.controller.listener.IngestStats stats) {
        if (metrics != null) {
            metrics.stats(stats);
        }
    }

    /**
     * Never throws into ingest: an event the stage cannot handle (a bug) is said once as a warning and counted, and
     * the journal still has it.
     */
    @Override
    public void accepted(Sighting sighting, RunState state) {
        try {
            export(sighting, state);
        } catch (RuntimeException x) {
            if (failures++ == 0) {
                warnings.accept("warning: the export stage could not handle an event (" + x + "); it is journalled,"
                        + " and `lb export` can send the run later");
            }
        }
    }

    /*
     * Nearly every event is a log line, which only Loki and /metrics' counters take: that path stays small, and the
     * samples' and results' handling (a few a second per host) is in methods of their own, so that the JIT compiling
     * the hot path does not inline it too (a JFR recording of a 10-target run showed C2 inlining about 14,000 bytes of
     * bytecode into this one method, most of it from the rare branches).
     */
    private void export(Sighting sighting, RunState state) {
        Event e = sighting.event();
        if (metrics != null) {
            metrics.accepted(sighting, state);
        }
        EventType type = e.type();
        if (type == EventType.SYSTEM) {
            clockOffset(e);
        } else if (type == EventType.METRIC || type == EventType.RESULT) {
            if (!remoteWrite.isEmpty()) {
                remoteWrite(e, sighting.receivedMillis());
            }
            if (type == EventType.RESULT && !pushgateway.isEmpty()) {
                keepResult(e);
            }
        }
        if (!loki.isEmpty() && (type != EventType.METRIC || settings.lokiSamples())) {
            // The line is the journal's text of the payload (made once by ingest), not a second serialization.
            LokiExporter.Entry entry = new LokiExporter.Entry(lokiStream(e),
                    measuredNanos(e, sighting.receivedMillis()), sighting.payloadJson());
            for (ExportQueue<LokiExporter.Entry> q : loki) {
                q.offer(entry);
            }
        }
    }

    private void clockOffset(Event e) {
        JsonNode clock = e.field("system") == null ? null : e.field("system").path("clock");
        if (clock != null && clock.path("offset_ms").isNumber()) {
            offsets.put(e.host(), clock.get("offset_ms").asDouble());
        }
    }

    /** Each sampled or result value as a sample at the time it was measured. */
    private void remoteWrite(Event e, long receivedMillis) {
        long measured = measuredMillis(e, receivedMillis);
        for (JsonNode m : e.payload().path("metrics")) {
            if (!m.path("name").isTextual() || !m.path("value").isNumber()) {
                continue;
            }
            SortedMap<String, String> labels = new TreeMap<>();
            labels.put("instance", e.host());
            labels.put("workload", e.workload());
            labels.put("unit", m.path("unit").asText(""));
            String name;
            if (e.type() == EventType.METRIC) {
                name = "lb_sample_" + NOT_NAME.matcher(m.get("name").asText()).replaceAll("_");
            } else {
                name = "lb_result";
                labels.put("metric", m.get("name").asText());
            }
            RemoteWriteExporter.Sample s = new RemoteWriteExporter.Sample(name, labels, m.get("value").asDouble(),
                    measured);
            for (ExportQueue<RemoteWriteExporter.Sample> q : remoteWrite) {
                q.offer(s);
            }
        }
    }

    /** A measured repetition's result values, for the Pushgateway's statistics at the end. */
    private void keepResult(Event e) {
        if (e.repetition() < 1 || e.payload().path("warmup").asBoolean(false)) {
            return;
        }
        for (JsonNode m : e.payload().path("metrics")) {
            if (m.path("name").isTextual() && m.path("value").isNumber()
                    && Double.isFinite(m.get("value").asDouble())) {
                results.computeIfAbsent(new PushgatewayExporter.Key(e.host(), e.workload(), m.get("name").asText(),
                        m.path("unit").asText("")), k -> new TreeMap<>()).put(e.repetition(), m.get("value").asDouble());
            }
        }
    }

    /** Loki's labels of an event's stream: few distinct ones in a run, so each is made once and shared. */
    private SortedMap<String, String> lokiStream(Event e) {
        return lokiStreams.computeIfAbsent(new StreamKey(e.host(), e.workload(), e.type(), e.level()), k -> {
            SortedMap<String, String> stream = new TreeMap<>();
            stream.put("service_name", "lb");
            stream.put("host", k.host());
            stream.put("workload", k.workload());
            stream.put("type", k.type().wireName());
            stream.put("level", k.level().name().toLowerCase(java.util.Locale.ROOT));
            return java.util.Collections.unmodifiableSortedMap(stream);
        });
    }

    /*
     * Looked up once per event: equals and hashCode written out, since a record's own go through an invokedynamic
     * bootstrap whose method-handle chain the JIT inlines into the hot path.
     */
    private record StreamKey(String host, String workload, EventType type, dev.lb.protocol.EventLevel level) {
        @Override
        public boolean equals(Object o) {
            return o instanceof StreamKey k && type == k.type && level == k.level && host.equals(k.host)
                    && workload.equals(k.workload);
        }

        @Override
        public int hashCode() {
            return ((host.hashCode() * 31 + workload.hashCode()) * 31 + type.ordinal()) * 31 + level.ordinal();
        }
    }

    /** When the event was emitted, on the controller's clock: the target's ts less its offset; else when received. */
    private long measuredMillis(Event e, long receivedMillis) {
        if (e.ts() == null) {
            return receivedMillis;
        }
        return Math.round(e.ts().doubleValue() * 1000 - offsets.getOrDefault(e.host(), 0.0));
    }

    private long measuredNanos(Event e, long receivedMillis) {
        if (e.ts() == null) {
            return receivedMillis * 1_000_000L;
        }
        long offsetNanos = Math.round(offsets.getOrDefault(e.host(), 0.0) * 1e6);
        return epochNanos(e.ts()) - offsetNanos;
    }

    /**
     * A ts in nanoseconds, exactly (truncated below the nanosecond). Agents write at most nine decimals, so the
     * unscaled value times a power of ten does it; BigDecimal's own conversion (through toBigInteger) is kept for any
     * other ts, since on every event it made the JIT compile much of BigDecimal into this path.
     */
    static long epochNanos(BigDecimal ts) {
        int scale = ts.scale();
        if (scale >= 0 && scale <= 9 && ts.precision() <= 18) {
            long unscaled = ts.unscaledValue().longValue();
            long factor = POWERS_OF_TEN[9 - scale];
            long nanos = unscaled * factor;
            if (Math.multiplyHigh(unscaled, factor) == nanos >> 63) {   // no overflow
                return nanos;
            }
        }
        return ts.movePointRight(9).longValue();
    }

    private static final long[] POWERS_OF_TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
            100_000_000L, 1_000_000_000L};

    /** A run that ended on an error: /metrics stops, the queues are dropped (their daemon threads end with lb). */
    public void abandon() {
        if (metrics != null) {
            metrics.close();
        }
        all.forEach(q -> q.close(System.nanoTime()));
    }

    /**
     * The end of the run: the Pushgateway's statistics are queued, then every exporter flushes within the time
     * limit ({@code export.flush_s}, shared). Returns each exporter's account, in the order configured.
     */
    public List<RunSummary.Export> finish(boolean success, double endedAtSeconds) throws InterruptedException {
        if (!pushgateway.isEmpty()) {
            SortedMap<PushgatewayExporter.Key, List<Double>> values = new TreeMap<>();
            results.forEach((k, reps) -> values.put(k, new ArrayList<>(reps.values())));
            List<PushgatewayExporter.Push> pushes = PushgatewayExporter.pushes(config, workloads, values, success,
                    endedAtSeconds);
            pushgateway.forEach(q -> pushes.forEach(q::offer));
        }
        // Every exporter flushes at the same time, all within flush_s.
        long deadline = System.nanoTime() + (long) (settings.flushS() * 1e9);
        all.forEach(q -> q.close(deadline));
        List<RunSummary.Export> accounts = new ArrayList<>();
        for (ExportQueue<?> q : all) {
            accounts.add(q.await());
        }
        if (metrics != null) {
            metrics.close();
        }
        return accounts;
    }
}

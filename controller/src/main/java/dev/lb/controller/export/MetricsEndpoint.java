package dev.lb.controller.export;

import dev.lb.controller.listener.DeliveryPath;
import dev.lb.controller.listener.IngestStats;
import dev.lb.controller.listener.Rejection;
import dev.lb.controller.listener.RunListener;
import dev.lb.controller.listener.Sighting;
import dev.lb.controller.state.RunState;
import dev.lb.protocol.Event;
import dev.lb.protocol.EventStatus;
import dev.lb.protocol.EventType;
import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * {@code /metrics} for Prometheus to scrape while a run goes on (official client, its own registry and HTTP
 * server): progress and latest values only, the time series themselves go by remote write. Labels are bounded:
 * {@code instance} (host alias), {@code workload}, {@code metric}, {@code unit}, the delivery path, the rejection
 * reason and the repetition status; the run id is not a label.
 */
final class MetricsEndpoint implements RunListener, AutoCloseable {
    private static final Pattern NOT_NAME = Pattern.compile("[^a-zA-Z0-9_]");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final HTTPServer server;
    // No exemplars anywhere: lb has no traces to link, and with them on every inc() asks the exemplar sampler.
    private final Counter accepted = Counter.builder().name("lb_events_accepted").withoutExemplars()
            .help("events journalled, by the host that emitted them and the path that first brought them")
            .labelNames("instance", "path").register(registry);
    private final Counter rejected = Counter.builder().name("lb_events_rejected").withoutExemplars()
            .help("payloads the decoder rejected, by reason").labelNames("reason").register(registry);
    private final Gauge duplicates = Gauge.builder().name("lb_events_duplicates_merged").withoutExemplars()
            .help("events that arrived by more than one path and were journalled once").register(registry);
    private final Gauge repetitions = Gauge.builder().name("lb_repetitions").withoutExemplars()
            .help("repetitions by their last status (final or not)").labelNames("status").register(registry);
    private final Gauge results = Gauge.builder().name("lb_result_latest").withoutExemplars()
            .help("the latest value of each result metric").labelNames("instance", "workload", "metric", "unit")
            .register(registry);
    private final Map<String, Gauge> samples = new ConcurrentHashMap<>();
    /** Each host's counters and last repetition; the ingest thread alone uses it. */
    private final Map<String, HostState> hosts = new HashMap<>();
    /** Last status per host/workload/repetition; the ingest thread alone writes it. */
    private final Map<RepetitionKey, String> statusOf = new HashMap<>();
    private final Map<String, Integer> perStatus = new HashMap<>();

    private MetricsEndpoint(String host, int port, String config, String lbVersion) throws IOException {
        Info.builder().name("lb_run_info").help("the run being served: its config and lb's version")
                .labelNames("config", "lb_version").register(registry).setLabelValues(config, lbVersion);
        server = HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
    }

    /**
     * Serves on {@code listen} ({@code HOST:PORT}).
     *
     * @throws IOException when the address cannot be bound (in use, not local)
     */
    static MetricsEndpoint start(String listen, String config, String lbVersion) throws IOException {
        int colon = listen.lastIndexOf(':');
        return new MetricsEndpoint(listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1)), config,
                lbVersion);
    }

    private record RepetitionKey(String host, String workload, int repetition) {
    }

    /**
     * What the per-event path needs of a host, found with one lookup: lb_events_accepted's data points by path (the
     * client's own lookup allocates a key list per call) and the repetition and status of the host's last event, so
     * that an event of the same repetition in the same status (nearly all of them) touches no other map.
     */
    private static final class HostState {
        final CounterDataPoint[] acceptedByPath = new CounterDataPoint[DeliveryPath.values().length];
        String workload;
        int repetition;
        EventStatus status;
    }

    int port() {
        return server.getPort();
    }

    /*
     * Every event passes here, nearly all of them log lines: their path is a counter and a status check, the samples'
     * and results' gauges (a few a second per host) are methods of their own so that the JIT does not inline them
     * into it (see ExportStage#export).
     */
    @Override
    public void accepted(Sighting sighting, RunState state) {
        Event e = sighting.event();
        HostState host = hosts.get(e.host());
        if (host == null) {
            host = new HostState();
            hosts.put(e.host(), host);
        }
        acceptedCounter(host, e.host(), sighting.path()).inc();
        EventType type = e.type();
        if (type == EventType.METRIC) {
            latestSamples(e);
        } else if (type == EventType.RESULT) {
            latestResults(e);
        }
        if (e.repetition() >= 1 && (e.status() != host.status || e.repetition() != host.repetition
                || !e.workload().equals(host.workload))) {
            host.status = e.status();
            host.repetition = e.repetition();
            host.workload = e.workload();
            status(e);
        }
    }

    private void latestSamples(Event e) {
        for (JsonNode m : e.payload().path("metrics")) {
            if (m.path("name").isTextual() && m.path("value").isNumber()) {
                String name = "lb_" + NOT_NAME.matcher(m.get("name").asText()).replaceAll("_") + "_latest";
                samples.computeIfAbsent(name, n -> Gauge.builder().name(n).withoutExemplars()
                        .help("the latest sampled value of the system metric " + m.get("name").asText())
                        .labelNames("instance", "unit").register(registry))
                        .labelValues(e.host(), m.path("unit").asText("")).set(m.get("value").asDouble());
            }
        }
    }

    private void latestResults(Event e) {
        for (JsonNode m : e.payload().path("metrics")) {
            if (m.path("name").isTextual() && m.path("value").isNumber()) {
                results.labelValues(e.host(), e.workload(), m.get("name").asText(), m.path("unit").asText(""))
                        .set(m.get("value").asDouble());
            }
        }
    }

    /** lb_repetitions by status: a repetition moves from one status to the next. */
    private void status(Event e) {
        String status = e.status().wireName();
        String before = statusOf.put(new RepetitionKey(e.host(), e.workload(), e.repetition()), status);
        if (!status.equals(before)) {
            statusChanged(before, status);
        }
    }

    private void statusChanged(String before, String status) {
        if (before != null) {
            repetitions.labelValues(before).set(perStatus.merge(before, -1, Integer::sum));
        }
        repetitions.labelValues(status).set(perStatus.merge(status, 1, Integer::sum));
    }

    private CounterDataPoint acceptedCounter(HostState state, String host, DeliveryPath path) {
        CounterDataPoint c = state.acceptedByPath[path.ordinal()];
        if (c == null) {
            c = accepted.labelValues(host, path.name().toLowerCase(Locale.ROOT));
            state.acceptedByPath[path.ordinal()] = c;
        }
        return c;
    }

    @Override
    public void rejected(Rejection rejection) {
        rejected.labelValues(rejection.reason().name().toLowerCase(Locale.ROOT)).inc();
    }

    @Override
    public void stats(IngestStats stats) {
        duplicates.set(stats.duplicates());
    }

    @Override
    public void close() {
        server.close();
    }
}

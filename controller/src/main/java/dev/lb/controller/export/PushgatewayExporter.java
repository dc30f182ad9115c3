package dev.lb.controller.export;

import dev.lb.controller.analysis.SampleSummary;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The Pushgateway, once at the end of a run: per workload one group (job {@code lb}, the config's name, the
 * workload) holding each host × result metric's statistics over the measured repetitions, in the text exposition
 * format written by the official client. A successful run PUTs the group, so it replaces the last run's of the same
 * config and adds {@code lb_run_last_success_timestamp_seconds}; a failed one POSTs (same-named metrics replaced, the
 * last success's time kept).
 */
final class PushgatewayExporter implements ExportQueue.Sender<PushgatewayExporter.Push> {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._-]+");

    /** One group's push. */
    record Push(String method, String path, byte[] body) {
    }

    /** One host × workload × result metric's values over the measured repetitions. */
    record Key(String host, String workload, String metric, String unit) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            return (workload + '\0' + host + '\0' + metric + '\0' + unit)
                    .compareTo(o.workload + '\0' + o.host + '\0' + o.metric + '\0' + o.unit);
        }
    }

    private final URI base;
    private final HttpEndpoint http;

    PushgatewayExporter(URI base, HttpEndpoint http) {
        this.base = base;
        this.http = http;
    }

    @Override
    public Delivery send(List<Push> batch) {
        for (Push p : batch) {
            Delivery d = http.send(p.method(), URI.create(stripSlash(base.toString()) + p.path()), p.body(),
                    Map.of("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE, "User-Agent", "lb"));
            if (d.outcome() != Delivery.Outcome.SENT) {
                return d;
            }
        }
        return Delivery.SENT;
    }

    /** The pushes of a run: one per workload that has results (in {@code values}) or is named in {@code workloads}. */
    static List<Push> pushes(String config, List<String> workloads, SortedMap<Key, List<Double>> values,
                             boolean success, double endedAtSeconds) {
        List<Push> out = new ArrayList<>();
        for (String w : workloads) {
            SortedMap<Key, List<Double>> own = new TreeMap<>();
            values.forEach((k, v) -> {
                if (k.workload().equals(w)) {
                    own.put(k, v);
                }
            });
            out.add(new Push(success ? "PUT" : "POST", groupPath(config, w), text(own, success, endedAtSeconds)));
        }
        return out;
    }

    /** {@code /metrics/job/lb/config/C/workload/W}, a value with other characters in base64url ({@code @base64}). */
    static String groupPath(String config, String workload) {
        return "/metrics/job/lb" + segment("config", config) + segment("workload", workload);
    }

    private static String segment(String label, String value) {
        return PLAIN.matcher(value).matches() ? "/" + label + "/" + value
                : "/" + label + "@base64/" + Base64.getUrlEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] text(SortedMap<Key, List<Double>> values, boolean success, double endedAtSeconds) {
        GaugeSnapshot.Builder mean = gauge("lb_result_mean", "mean of a result metric over the measured repetitions");
        GaugeSnapshot.Builder stdev = gauge("lb_result_stdev", "sample standard deviation (n - 1) of a result metric");
        GaugeSnapshot.Builder n = gauge("lb_result_n", "measured repetitions that reported the result metric");
        GaugeSnapshot.Builder min = gauge("lb_result_min", "smallest value of a result metric");
        GaugeSnapshot.Builder max = gauge("lb_result_max", "largest value of a result metric");
        values.forEach((k, v) -> {
            SampleSummary s = SampleSummary.of(v.stream().mapToDouble(Double::doubleValue).toArray());
            Labels labels = Labels.of("instance", k.host(), "metric", k.metric(), "unit", k.unit());
            mean.dataPoint(point(labels, s.mean()));
            if (s.stdev() != null) {
                stdev.dataPoint(point(labels, s.stdev()));
            }
            n.dataPoint(point(labels, s.n()));
            min.dataPoint(point(labels, s.min()));
            max.dataPoint(point(labels, s.max()));
        });
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        if (!values.isEmpty()) {
            all.metricSnapshot(mean.build()).metricSnapshot(n.build()).metricSnapshot(min.build())
                    .metricSnapshot(max.build());
            GaugeSnapshot sd = stdev.build();
            if (!sd.getDataPoints().isEmpty()) {
                all.metricSnapshot(sd);
            }
        }
        if (success) {
            all.metricSnapshot(gauge("lb_run_last_success_timestamp_seconds",
                    "end of the last run of this config that succeeded").dataPoint(point(Labels.EMPTY, endedAtSeconds))
                    .build());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, all.build());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    private static GaugeSnapshot.Builder gauge(String name, String help) {
        return GaugeSnapshot.builder().name(name).help(help);
    }

    private static GaugeSnapshot.GaugeDataPointSnapshot point(Labels labels, double value) {
        return GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}

package dev.lb.controller.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real Prometheus (remote-write receiver on, out-of-order window of a day) and Pushgateway from the Debian
 * packages, started on free ports with temporary directories before a test class and killed after it. Prometheus
 * scrapes the Pushgateway every second (honor_labels), so pushed values are read back through Prometheus too, and
 * lb's /metrics at {@link #lbMetricsListen()} (job lb, honor_labels: its instance is the host alias) every 500 ms.
 * Register with {@code @RegisterExtension static final MonitoringServers SERVERS = new MonitoringServers();}.
 */
public final class MonitoringServers implements BeforeAllCallback, AfterAllCallback {
    public static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    public static final Path PUSHGATEWAY = Path.of("/usr/bin/prometheus-pushgateway");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Process> processes = new ArrayList<>();
    private Path dir;
    private int prometheusPort;
    private int pushgatewayPort;
    private int lbPort;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!Files.isExecutable(PROMETHEUS) || !Files.isExecutable(PUSHGATEWAY)) {
            throw new IllegalStateException(PROMETHEUS + " and " + PUSHGATEWAY + " are needed (Debian packages"
                    + " prometheus and prometheus-pushgateway; scripts/test.sh installs them)");
        }
        dir = Files.createTempDirectory("lb-monitoring-");
        pushgatewayPort = freePort();
        start(List.of(PUSHGATEWAY.toString(), "--web.listen-address=127.0.0.1:" + pushgatewayPort,
                "--persistence.interval=1h"), "pushgateway.log");
        awaitReady(pushgatewayUrl());
        prometheusPort = freePort();
        lbPort = freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                storage:
                  tsdb:
                    out_of_order_time_window: 1d
                scrape_configs:
                  - job_name: pushgateway
                    honor_labels: true
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                  - job_name: lb
                    honor_labels: true
                    scrape_interval: 500ms
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(pushgatewayPort, lbPort));
        start(List.of(PROMETHEUS.toString(), "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + prometheusPort, "--web.enable-remote-write-receiver",
                "--storage.tsdb.retention.time=2d"), "prometheus.log");
        awaitReady(prometheusUrl());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        processes.clear();
        if (dir != null) {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public String prometheusUrl() {
        return "http://127.0.0.1:" + prometheusPort;
    }

    public String remoteWriteUrl() {
        return prometheusUrl() + "/api/v1/write";
    }

    /** Where an lb under test serves /metrics for this Prometheus to scrape. */
    public String lbMetricsListen() {
        return "127.0.0.1:" + lbPort;
    }

    public String pushgatewayUrl() {
        return "http://127.0.0.1:" + pushgatewayPort;
    }

    /** An instant query's result vector at time {@code atSeconds} (null: now). */
    public JsonNode query(String promql, Double atSeconds) throws IOException, InterruptedException {
        String url = prometheusUrl() + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + (atSeconds == null ? "" : "&time=" + atSeconds);
        return get(url).path("data").path("result");
    }

    /** A range query's result matrix, as Grafana asks for a panel's data. */
    public JsonNode queryRange(String promql, double startSeconds, double endSeconds, double stepSeconds)
            throws IOException, InterruptedException {
        String url = prometheusUrl() + "/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&start=" + startSeconds + "&end=" + endSeconds + "&step=" + stepSeconds;
        return get(url).path("data").path("result");
    }

    /** Every raw sample of a range selector such as {@code lb_sample_load1[1h]} at {@code atSeconds}. */
    public JsonNode rawSamples(String selector, double atSeconds) throws IOException, InterruptedException {
        return query(selector, atSeconds);
    }

    public JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + url + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Text of GET url (the Pushgateway's /metrics). */
    public String getText(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private void start(List<String> command, String log) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile()).start();
        processes.add(p);
    }

    private void awaitReady(String base) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/-/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new IOException(base + " not ready within 60 s: " + last + "; logs in " + dir);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

package dev.lb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lb.controller.export.FakeEndpoint;
import dev.lb.controller.export.MonitoringServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The export done-when: a real {@code ./lb run} of stress-ng on two SSH targets, exporting to the real Prometheus
 * (remote write, and scraping lb's /metrics live), the real Pushgateway and an in-test Loki receiver. Prometheus
 * holds every system sample of both hosts at its own time (the target's ts less that host's measured clock offset)
 * and every result value; the Pushgateway holds each host's statistics; the receiver got every journalled event
 * exactly once.
 */
class ExportSshEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> HOSTS = List.of("exp-1", "exp-2");

    @RegisterExtension
    static final MonitoringServers SERVERS = new MonitoringServers();

    @RegisterExtension
    final SshTargetsPerTest targets = new SshTargetsPerTest(HOSTS.toArray(String[]::new));

    @Test
    void everySampleOfBothHostsEveryResultAndEveryEventReachItsSink() throws Exception {
        Path work = targets.work();
        try (FakeEndpoint loki = FakeEndpoint.always(204)) {
            Path cfg = work.resolve("lb.yaml");
            Files.writeString(cfg, "name: export-ssh\nrepetitions: 2\noutput_dir: runs\nmetrics_interval_s: 0.5\n"
                    + targets.targetsYaml() + """
                    workloads:
                      - name: cpu
                        type: stress-ng
                        args: [--cpu, "1", --cpu-method, int64, --timeout, 2s]
                    export:
                      remote_write: %s
                      pushgateway: %s
                      loki: %s
                      prometheus: {listen: "%s"}
                    """.formatted(SERVERS.remoteWriteUrl(), SERVERS.pushgatewayUrl(),
                    loki.url("/loki/api/v1/push"), SERVERS.lbMetricsListen()));
            LbProcess run = LbProcess.runIn(work, Map.of(), null, "run", "-c", cfg.toString(), "--output", "plain");
            assertEquals(0, run.exitCode(), run.out() + run.err());
            Path runDir = RunFiles.onlyRunDir(work.resolve("runs"));
            List<JsonNode> events = RunFiles.journal(runDir).stream().map(r -> r.get("event")).toList();

            Map<String, Double> offsetMs = new HashMap<>();
            for (JsonNode e : events) {
                if (e.path("type").asText().equals("system")) {
                    offsetMs.put(e.get("host").asText(), e.at("/system/clock/offset_ms").asDouble(0));
                }
            }
            assertEquals(new HashSet<>(HOSTS), offsetMs.keySet(), "each host's system event");
            // Per host: every sampled value as "series at ms" -> value; every result value as "metric at ms value".
            Map<String, Map<String, Double>> samples = new TreeMap<>();
            Map<String, List<String>> results = new TreeMap<>();
            Map<String, Map<String, List<Double>>> perMetric = new TreeMap<>();
            long sampleValues = 0;
            for (JsonNode e : events) {
                String host = e.get("host").asText();
                String type = e.path("type").asText();
                if (!type.equals("metric") && !type.equals("result")) {
                    continue;
                }
                long at = Math.round(e.get("ts").decimalValue().doubleValue() * 1000 - offsetMs.get(host));
                for (JsonNode m : e.path("metrics")) {
                    String name = m.get("name").asText();
                    double value = m.get("value").asDouble();
                    if (type.equals("metric")) {
                        sampleValues++;
                        Double before = samples.computeIfAbsent(host, k -> new TreeMap<>())
                                .put("lb_sample_" + name.replaceAll("[^a-zA-Z0-9_]", "_") + " " + at, value);
                        assertEquals(null, before, "one sample per series and time: " + host + " " + name + " " + at);
                    } else {
                        results.computeIfAbsent(host, k -> new ArrayList<>()).add(name + " " + at + " " + value);
                        perMetric.computeIfAbsent(host, k -> new TreeMap<>())
                                .computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                    }
                }
            }
            long resultValues = results.values().stream().mapToLong(List::size).sum();
            for (String host : HOSTS) {
                assertTrue(samples.getOrDefault(host, Map.of()).size() >= 20, host + ": "
                        + samples.getOrDefault(host, Map.of()).size() + " sampled values in the journal");
                assertTrue(results.getOrDefault(host, List.of()).size() >= 2, host + ": " + results.get(host));
            }

            JsonNode summary = JSON.readTree(runDir.resolve("summary.json").toFile());
            Map<String, JsonNode> byKind = new HashMap<>();
            summary.get("exports").forEach(x -> byKind.put(x.get("kind").asText(), x));
            assertEquals(Set.of("remote-write", "pushgateway", "loki"), byKind.keySet());
            byKind.values().forEach(x -> assertEquals(0, x.get("dropped").asLong(), x.toString()));
            assertEquals(sampleValues + resultValues, byKind.get("remote-write").get("sent").asLong());
            assertEquals(events.size(), byKind.get("loki").get("sent").asLong());
            assertEquals(1, byKind.get("pushgateway").get("sent").asLong(), "one push: one workload");

            double now = System.currentTimeMillis() / 1000.0;
            for (String host : HOSTS) {
                // Prometheus: every system sample of the host, series by series, at its own corrected time.
                Map<String, Double> got = new TreeMap<>();
                for (JsonNode s : SERVERS.query("{__name__=~\"lb_sample_.+\",instance=\"" + host
                        + "\"}[1h]", now)) {
                    String name = s.get("metric").get("__name__").asText();
                    for (JsonNode v : s.get("values")) {
                        got.put(name + " " + Math.round(v.get(0).asDouble() * 1000), Double.parseDouble(v.get(1).asText()));
                    }
                }
                assertEquals(samples.get(host), got, host + ": the system samples");
                // Every result value, at its time.
                List<String> gotResults = new ArrayList<>();
                for (JsonNode s : SERVERS.query("lb_result{instance=\"" + host + "\",workload=\"cpu\"}[1h]", now)) {
                    for (JsonNode v : s.get("values")) {
                        gotResults.add(s.get("metric").get("metric").asText() + " "
                                + Math.round(v.get(0).asDouble() * 1000) + " " + Double.parseDouble(v.get(1).asText()));
                    }
                }
                List<String> want = new ArrayList<>(results.get(host));
                want.sort(null);
                gotResults.sort(null);
                assertEquals(want, gotResults, host + ": the result values");
            }

            // The Pushgateway: each host's mean and n per metric over the two repetitions, read from it directly.
            String pushed = SERVERS.getText(SERVERS.pushgatewayUrl() + "/metrics");
            for (String host : HOSTS) {
                for (Map.Entry<String, List<Double>> m : perMetric.get(host).entrySet()) {
                    double mean = m.getValue().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                    assertEquals(mean, pushedValue(pushed, "lb_result_mean", host, m.getKey()),
                            Math.abs(mean) * 1e-9 + 1e-12, host + " " + m.getKey() + "\n" + pushed);
                    assertEquals(m.getValue().size(), pushedValue(pushed, "lb_result_n", host, m.getKey()), 0,
                            host + " " + m.getKey());
                }
            }
            assertTrue(pushed.lines().anyMatch(l -> l.startsWith("lb_run_last_success_timestamp_seconds{config=\"export-ssh\",")
                    && l.contains("workload=\"cpu\"")), pushed);

            // Loki: every journalled event exactly once, under its own host's stream.
            Set<String> seen = new HashSet<>();
            for (FakeEndpoint.Request r : loki.requests) {
                for (JsonNode stream : JSON.readTree(r.body()).get("streams")) {
                    for (JsonNode v : stream.get("values")) {
                        JsonNode line = JSON.readTree(v.get(1).asText());
                        assertEquals(stream.get("stream").get("host").asText(), line.get("host").asText());
                        assertTrue(seen.add(line.get("host").asText() + "/" + line.get("workload").asText() + "/"
                                + line.get("repetition").asText() + "/" + line.get("src").asText() + "/"
                                + line.path("seq").asText()), "twice: " + line);
                    }
                }
            }
            assertEquals(events.size(), seen.size());
            Set<String> hostsSeen = new HashSet<>();
            seen.forEach(k -> hostsSeen.add(k.substring(0, k.indexOf('/'))));
            assertEquals(new HashSet<>(HOSTS), hostsSeen);

            // Prometheus scraped lb's /metrics while the run went on: both hosts' accepted events.
            for (String host : HOSTS) {
                JsonNode accepted = SERVERS.query("max_over_time(lb_events_accepted_total{job=\"lb\",instance=\""
                        + host + "\"}[1h])", null);
                assertTrue(accepted.size() >= 1, host + " was scraped: " + accepted);
            }
        }
    }

    /** The value of {@code name} for a host and metric in the Pushgateway's exposition text. */
    private static double pushedValue(String text, String name, String host, String metric) {
        for (String line : text.lines().toList()) {
            if (line.startsWith(name + "{") && line.contains("instance=\"" + host + "\"")
                    && line.contains("metric=\"" + metric + "\"") && line.contains("config=\"export-ssh\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no " + name + " for " + host + " " + metric + " in the Pushgateway:\n" + text);
    }
}

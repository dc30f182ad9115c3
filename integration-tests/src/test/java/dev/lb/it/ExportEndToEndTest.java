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
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real {@code ./lb run} of stress-ng on a local target exporting to the real Prometheus (remote write, and
 * scraping lb's /metrics), the real Pushgateway and an in-test Loki receiver: every sample and result of the
 * journal is in Prometheus at its corrected time, the Pushgateway holds the statistics, the receiver got every
 * event once, and summary.json counts it all.
 */
class ExportEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MonitoringServers SERVERS = new MonitoringServers();

    @Test
    void everySampleResultAndEventReachesItsSink(TestInfo info) throws Exception {
        Path work = RunFiles.workDir(info);
        Files.createDirectories(work);
        try (FakeEndpoint loki = FakeEndpoint.always(204)) {
            Path cfg = work.resolve("lb.yaml");
            Files.writeString(cfg, """
                    name: export-e2e
                    repetitions: 2
                    output_dir: runs
                    metrics_interval_s: 0.5
                    targets:
                      target_root: %s
                      hosts:
                        - {name: local-1, connection: local}
                    workloads:
                      - name: cpu
                        type: stress-ng
                        args: [--cpu, "1", --cpu-method, int64, --timeout, 2s]
                    export:
                      remote_write: %s
                      pushgateway: %s
                      loki: %s
                      prometheus: {listen: "%s"}
                    """.formatted(work.resolve("targets"), SERVERS.remoteWriteUrl(), SERVERS.pushgatewayUrl(),
                    loki.url("/loki/api/v1/push"), SERVERS.lbMetricsListen()));
            LbProcess run = LbProcess.runIn(work, Map.of(), null, "run", "-c", cfg.toString(), "--output", "plain");
            assertEquals(0, run.exitCode(), run.out() + run.err());
            Path runDir = RunFiles.onlyRunDir(work.resolve("runs"));
            List<JsonNode> events = RunFiles.journal(runDir).stream().map(r -> r.get("event")).toList();

            double offsetMs = events.stream().filter(e -> e.path("type").asText().equals("system")).findFirst()
                    .orElseThrow().at("/system/clock/offset_ms").asDouble(0);
            Map<Long, Double> cpuUser = new HashMap<>();
            long sampleValues = 0;
            List<String> results = new ArrayList<>();
            Map<String, List<Double>> perMetric = new TreeMap<>();
            for (JsonNode e : events) {
                long at = Math.round(e.get("ts").decimalValue().doubleValue() * 1000 - offsetMs);
                if (e.path("type").asText().equals("metric")) {
                    for (JsonNode m : e.get("metrics")) {
                        sampleValues++;
                        if (m.get("name").asText().equals("cpu_user")) {
                            cpuUser.put(at, m.get("value").asDouble());
                        }
                    }
                } else if (e.path("type").asText().equals("result")) {
                    for (JsonNode m : e.path("metrics")) {
                        results.add(m.get("name").asText() + " " + at + " " + m.get("value").asDouble());
                        perMetric.computeIfAbsent(m.get("name").asText(), k -> new ArrayList<>())
                                .add(m.get("value").asDouble());
                    }
                }
            }
            assertTrue(cpuUser.size() >= 4, "samples in the journal: " + cpuUser.size());
            assertTrue(results.size() >= 2, results.toString());

            JsonNode summary = JSON.readTree(runDir.resolve("summary.json").toFile());
            JsonNode exports = summary.get("exports");
            assertEquals(3, exports.size(), exports.toString());
            Map<String, JsonNode> byKind = new HashMap<>();
            exports.forEach(x -> byKind.put(x.get("kind").asText(), x));
            exports.forEach(x -> assertEquals(0, x.get("dropped").asLong(), x.toString()));
            assertEquals(sampleValues + results.size(), byKind.get("remote-write").get("sent").asLong());
            assertEquals(events.size(), byKind.get("loki").get("sent").asLong());
            assertEquals(1, byKind.get("pushgateway").get("sent").asLong());
            assertTrue(run.out().contains("export remote-write " + SERVERS.remoteWriteUrl() + ": "
                    + (sampleValues + results.size()) + " sent, 0 retried, 0 dropped"), run.out());

            // Prometheus: every cpu_user sample at its own corrected time, every result value.
            double now = System.currentTimeMillis() / 1000.0;
            JsonNode series = SERVERS.query("lb_sample_cpu_user{instance=\"local-1\",workload=\"cpu\"}[1h]", now);
            assertEquals(1, series.size(), series.toString());
            Map<Long, Double> got = new HashMap<>();
            series.get(0).get("values").forEach(v -> got.put(Math.round(v.get(0).asDouble() * 1000),
                    Double.parseDouble(v.get(1).asText())));
            assertEquals(cpuUser, got);
            List<String> gotResults = new ArrayList<>();
            for (JsonNode s : SERVERS.query("lb_result{instance=\"local-1\",workload=\"cpu\"}[1h]", now)) {
                for (JsonNode v : s.get("values")) {
                    gotResults.add(s.get("metric").get("metric").asText() + " " + Math.round(v.get(0).asDouble() * 1000)
                            + " " + Double.parseDouble(v.get(1).asText()));
                }
            }
            gotResults.sort(null);
            results.sort(null);
            assertEquals(results, gotResults);

            // The Pushgateway: each metric's mean over the two repetitions, exactly as it holds it; then Prometheus,
            // once it has scraped the push (a query right after the run may still see the scrape before it: up to
            // 10 s are given, and a failure names every series the query returned).
            String pushed = SERVERS.getText(SERVERS.pushgatewayUrl() + "/metrics");
            for (Map.Entry<String, List<Double>> m : perMetric.entrySet()) {
                double mean = m.getValue().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                List<String> held = pushed.lines().filter(l -> l.startsWith("lb_result_mean{")
                        && l.contains("config=\"export-e2e\"") && l.contains("instance=\"local-1\"")
                        && l.contains("metric=\"" + m.getKey() + "\"")).toList();
                assertEquals(1, held.size(), pushed);
                String line = held.get(0);
                assertEquals(mean, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)),
                        Math.abs(mean) * 1e-9 + 1e-12, line);
                String promql = "lb_result_mean{job=\"lb\",config=\"export-e2e\",workload=\"cpu\","
                        + "instance=\"local-1\",metric=\"" + m.getKey() + "\"}";
                JsonNode q = SERVERS.query(promql, null);
                for (long until = System.nanoTime() + 10_000_000_000L; System.nanoTime() < until
                        && (q.size() != 1 || Math.abs(q.get(0).get("value").get(1).asDouble() - mean)
                        > Math.abs(mean) * 1e-9 + 1e-12); q = SERVERS.query(promql, null)) {
                    Thread.sleep(250);
                }
                assertEquals(1, q.size(), q.toString());
                assertEquals(mean, q.get(0).get("value").get(1).asDouble(), Math.abs(mean) * 1e-9 + 1e-12,
                        q.toString());
            }
            assertTrue(pushed.lines().anyMatch(l -> l.startsWith("lb_run_last_success_timestamp_seconds{config=\"export-e2e\",")
                    && l.contains("job=\"lb\"") && l.contains("workload=\"cpu\"")), pushed);

            // Loki: every journalled event exactly once.
            Set<String> seen = new HashSet<>();
            for (FakeEndpoint.Request r : loki.requests) {
                for (JsonNode stream : JSON.readTree(r.body()).get("streams")) {
                    for (JsonNode v : stream.get("values")) {
                        JsonNode line = JSON.readTree(v.get(1).asText());
                        assertTrue(seen.add(line.get("host").asText() + "/" + line.get("workload").asText() + "/"
                                + line.get("repetition").asText() + "/" + line.get("src").asText() + "/"
                                + line.path("seq").asText()), line.toString());
                    }
                }
            }
            assertEquals(events.size(), seen.size());

            // Prometheus scraped lb's /metrics during the run.
            JsonNode accepted = SERVERS.query("max_over_time(lb_events_accepted_total{job=\"lb\",instance=\"local-1\"}[1h])", null);
            assertTrue(accepted.size() >= 1, "lb was scraped: " + accepted);

            everyDashboardPanelHasData(summary.get("started_at").asDouble());
        }
    }

    /**
     * The same run with every endpoint failing (remote write refused: nothing listens; the Pushgateway accepts and
     * never answers; Loki answers 500): the run exits 0 with the same completeness, the journal holds every event,
     * the summary counts what each exporter dropped, and the end of the run waits at most flush_s for them.
     */
    @Test
    void failingEndpointsCostTheRunWarningsAndCountsOnly(TestInfo info) throws Exception {
        Path work = RunFiles.workDir(info);
        Files.createDirectories(work);
        try (FakeEndpoint hanging = FakeEndpoint.always(FakeEndpoint.HANG);
             FakeEndpoint failing = FakeEndpoint.always(500)) {
            String base = """
                    name: export-faults
                    repetitions: 2
                    output_dir: %s
                    metrics_interval_s: 0.5
                    targets:
                      target_root: %s
                      hosts:
                        - {name: local-1, connection: local}
                    workloads:
                      - name: cpu
                        type: stress-ng
                        args: [--cpu, "1", --cpu-method, int64, --timeout, 2s]
                    """;
            Path plain = work.resolve("plain.yaml");
            Files.writeString(plain, base.formatted("runs-plain", work.resolve("targets")));
            Path cfg = work.resolve("faults.yaml");
            Files.writeString(cfg, base.formatted("runs", work.resolve("targets")) + """
                    export:
                      remote_write: http://127.0.0.1:%d/api/v1/write
                      pushgateway: %s
                      loki: %s
                      retry_s: 2
                      flush_s: 3
                    """.formatted(MonitoringServers.freePort(), hanging.url(""), failing.url("/loki/api/v1/push")));
            long t0 = System.nanoTime();
            LbProcess without = LbProcess.runIn(work, Map.of(), null, "run", "-c", plain.toString(), "--output", "plain");
            long withoutMillis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(0, without.exitCode(), without.out() + without.err());
            t0 = System.nanoTime();
            LbProcess run = LbProcess.runIn(work, Map.of(), null, "run", "-c", cfg.toString(), "--output", "plain");
            long withMillis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(0, run.exitCode(), run.out() + run.err());
            System.out.printf("lb run wall time: %d ms without exporters, %d ms with three failing ones%n",
                    withoutMillis, withMillis);

            Path runDir = RunFiles.onlyRunDir(work.resolve("runs"));
            Path plainDir = RunFiles.onlyRunDir(work.resolve("runs-plain"));
            JsonNode summary = JSON.readTree(runDir.resolve("summary.json").toFile());
            JsonNode plainSummary = JSON.readTree(plainDir.resolve("summary.json").toFile());
            assertEquals("complete", summary.at("/completeness/verdict").asText());
            assertEquals(plainSummary.at("/completeness/verdict").asText(), summary.at("/completeness/verdict").asText());
            assertEquals(summary.at("/events/accepted").asLong(), RunFiles.journal(runDir).size());
            // The run itself (start to verdict) is not slowed by more than the noise of a 2-repetition run.
            double runS = summary.get("ended_at").asDouble() - summary.get("started_at").asDouble();
            double plainS = plainSummary.get("ended_at").asDouble() - plainSummary.get("started_at").asDouble();
            assertTrue(runS < plainS + 5, "with failing exporters " + runS + " s, without " + plainS + " s");
            assertTrue(withMillis < withoutMillis + 10_000, withMillis + " ms against " + withoutMillis + " ms");

            Map<String, JsonNode> byKind = new HashMap<>();
            summary.get("exports").forEach(x -> byKind.put(x.get("kind").asText(), x));
            for (JsonNode x : byKind.values()) {
                assertEquals(0, x.get("sent").asLong(), x.toString());
                assertTrue(x.get("dropped").asLong() > 0, x.toString());
            }
            assertEquals(summary.at("/events/accepted").asLong(), byKind.get("loki").get("dropped").asLong());
            assertTrue(run.out().contains("`lb export " + summary.get("run_id").asText() + " --to loki="), run.out());
            assertTrue(run.out().contains("export ! remote-write"), run.out());
        }
    }

    /**
     * A real Pushgateway that answers when the run starts and is gone when the run ends (it is sent to only at the
     * end): the run's events, exit code and verdict are those of the same run without exporters, its end waits at
     * most retry_s for the push, and the summary counts the push as dropped with its reason.
     */
    @Test
    void aPushgatewayGoneByTheEndOfTheRunCostsAWarningAndACountOnly(TestInfo info) throws Exception {
        Path work = RunFiles.workDir(info);
        Files.createDirectories(work);
        int port = MonitoringServers.freePort();
        String url = "http://127.0.0.1:" + port;
        Process pushgateway = new ProcessBuilder(MonitoringServers.PUSHGATEWAY.toString(),
                "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true)
                .redirectOutput(work.resolve("pushgateway.log").toFile()).start();
        try {
            String base = """
                    name: export-pushgateway-down
                    repetitions: 2
                    output_dir: %s
                    metrics_interval_s: 0.5
                    targets:
                      target_root: %s
                      hosts:
                        - {name: local-1, connection: local}
                    workloads:
                      - name: cpu
                        type: stress-ng
                        args: [--cpu, "1", --cpu-method, int64, --timeout, 3s]
                    """;
            Path plain = work.resolve("plain.yaml");
            Files.writeString(plain, base.formatted("runs-plain", work.resolve("targets")));
            Path cfg = work.resolve("down.yaml");
            Files.writeString(cfg, base.formatted("runs", work.resolve("targets")) + """
                    export:
                      pushgateway: %s
                      retry_s: 2
                      flush_s: 5
                    """.formatted(url));
            long t0 = System.nanoTime();
            LbProcess without = LbProcess.runIn(work, Map.of(), null, "run", "-c", plain.toString(), "--output", "plain");
            long withoutMillis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(0, without.exitCode(), without.out() + without.err());

            awaitReady(url);
            Path outFile = work.resolve("lb-out.txt");
            t0 = System.nanoTime();
            Process lb = LbProcess.builder(work, Map.of(), "run", "-c", cfg.toString(), "--output", "plain")
                    .redirectOutput(outFile.toFile()).redirectError(work.resolve("lb-err.txt").toFile()).start();
            // Up while the run goes on: stopped once the first repetition's workload has started.
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!runningWorkload(work.resolve("runs")) && lb.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(lb.isAlive(), "the run ended before its workload was seen running");
            awaitReady(url);
            pushgateway.destroy();
            assertTrue(pushgateway.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(lb.waitFor(300, java.util.concurrent.TimeUnit.SECONDS), "lb did not end");
            long withMillis = (System.nanoTime() - t0) / 1_000_000;
            String out = Files.readString(outFile);
            assertEquals(0, lb.exitValue(), out + Files.readString(work.resolve("lb-err.txt")));

            Path runDir = RunFiles.onlyRunDir(work.resolve("runs"));
            JsonNode summary = JSON.readTree(runDir.resolve("summary.json").toFile());
            JsonNode plainSummary = JSON.readTree(RunFiles.onlyRunDir(work.resolve("runs-plain"))
                    .resolve("summary.json").toFile());
            assertEquals("complete", summary.at("/completeness/verdict").asText(), summary.toString());
            assertEquals(summary.at("/events/accepted").asLong(), RunFiles.journal(runDir).size());
            assertEquals(plainSummary.at("/events/rejected").asLong(), summary.at("/events/rejected").asLong());
            double runS = summary.get("ended_at").asDouble() - summary.get("started_at").asDouble();
            double plainS = plainSummary.get("ended_at").asDouble() - plainSummary.get("started_at").asDouble();
            // The push is retried for retry_s (2 s) at most, within flush_s: nothing waits longer.
            assertTrue(runS < plainS + 2 + 5, "with the Pushgateway gone " + runS + " s, without exporters " + plainS);
            assertTrue(withMillis < withoutMillis + 15_000, withMillis + " ms against " + withoutMillis + " ms");

            JsonNode exports = summary.get("exports");
            assertEquals(1, exports.size(), exports.toString());
            JsonNode x = exports.get(0);
            assertEquals("pushgateway", x.get("kind").asText());
            assertEquals(0, x.get("sent").asLong(), x.toString());
            assertEquals(1, x.get("dropped").asLong(), "one push: one workload\n" + x);
            assertEquals(1, x.at("/dropped_by/retries exhausted").asLong(), x.toString());
            assertTrue(x.get("retried").asLong() >= 1, x.toString());
            assertTrue(out.contains("export ! pushgateway " + url + ": 0 sent, "), out);
            assertTrue(out.contains("`lb export " + summary.get("run_id").asText() + " --to pushgateway="), out);
        } finally {
            pushgateway.destroyForcibly();
        }
    }

    /** Whether the run under {@code runs} has journalled a workload's running event. */
    private static boolean runningWorkload(Path runs) throws java.io.IOException {
        if (!Files.isDirectory(runs)) {
            return false;
        }
        try (var dirs = Files.list(runs)) {
            for (Path d : dirs.toList()) {
                Path journal = d.resolve("journal.jsonl");
                if (Files.isRegularFile(journal) && Files.readString(journal).contains("\"status\":\"running\"")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void awaitReady(String base) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        long deadline = System.nanoTime() + 60_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/-/ready"))
                        .timeout(java.time.Duration.ofSeconds(2)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (java.io.IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new AssertionError(base + " not ready within 60 s: " + last);
    }

    /**
     * The shipped Grafana dashboard: an importable export (schema version, a ${DS_PROMETHEUS} input every panel
     * uses), and every panel's query answered with data by the real Prometheus over the run's time range, as
     * Grafana would ask for it. (Not imported into a real Grafana here.)
     */
    private static void everyDashboardPanelHasData(double startedAt) throws Exception {
        JsonNode d = JSON.readTree(LbProcess.ROOT.resolve("grafana/lb-dashboard.json").toFile());
        assertTrue(d.get("schemaVersion").asInt() >= 36, "schemaVersion " + d.get("schemaVersion"));
        JsonNode input = d.get("__inputs").get(0);
        assertEquals("DS_PROMETHEUS", input.get("name").asText());
        assertEquals("datasource", input.get("type").asText());
        assertEquals("prometheus", input.get("pluginId").asText());
        int queries = 0;
        for (JsonNode p : d.get("panels")) {
            if (p.get("type").asText().equals("row")) {
                continue;
            }
            assertEquals("${DS_PROMETHEUS}", p.at("/datasource/uid").asText(), p.get("title").asText());
            for (JsonNode t : p.get("targets")) {
                String expr = t.get("expr").asText();
                long deadline = System.nanoTime() + 20_000_000_000L;
                JsonNode r;
                do {
                    double now = System.currentTimeMillis() / 1000.0;
                    r = SERVERS.queryRange(expr, startedAt - 10, now, 1);
                    if (r.isEmpty()) {
                        Thread.sleep(500);
                    }
                } while (r.isEmpty() && System.nanoTime() < deadline);
                assertTrue(r.size() > 0, "panel '" + p.get("title").asText() + "': no data for " + expr);
                queries++;
            }
        }
        assertTrue(queries >= 10, queries + " queries");
    }
}

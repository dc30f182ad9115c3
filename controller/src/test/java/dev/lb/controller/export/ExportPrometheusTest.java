package dev.lb.controller.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.controller.config.RunConfig;
import dev.lb.controller.state.RunSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The export stage against the real Prometheus (remote write) and Pushgateway: every value sent is read back through
 * Prometheus's query API, one for one, at the time it was measured on the target less that host's clock offset.
 */
class ExportPrometheusTest {
    @RegisterExtension
    static final MonitoringServers SERVERS = new MonitoringServers();

    private final List<String> warnings = new CopyOnWriteArrayList<>();

    private ExportStage stage(String config, List<String> workloads) {
        RunConfig.Export settings = RunConfig.Export.NONE.plus(List.of(
                RunConfig.Export.endpoint("remote-write", SERVERS.remoteWriteUrl()),
                RunConfig.Export.endpoint("pushgateway", SERVERS.pushgatewayUrl())));
        return ExportStage.start(settings, config, workloads, warnings::add);
    }

    @Test
    void everySampleAndResultReadBackAtItsCorrectedTime() throws Exception {
        double t0 = Math.floor(System.currentTimeMillis() / 1000.0) - 120;
        ExportStage stage = stage("rw-test", List.of("cpu"));
        // Host a's clock is 250 ms ahead of the controller's, b's 40 ms behind.
        stage.accepted(ExportEvents.system("a", 250, t0), null);
        stage.accepted(ExportEvents.system("b", -40, t0), null);
        Map<String, Map<Long, Double>> expectedLoad = new HashMap<>();
        long seq = 1;
        for (int i = 0; i < 30; i++) {
            for (String host : List.of("a", "b")) {
                double ts = t0 + 1 + i + 0.123;
                double load = i * 0.5 + (host.equals("a") ? 0 : 100);
                stage.accepted(ExportEvents.metric(host, "cpu", 1 + i / 10, seq++, ts, load, 50), null);
                long corrected = Math.round(ts * 1000 - (host.equals("a") ? 250 : -40));
                expectedLoad.computeIfAbsent(host, h -> new HashMap<>()).put(corrected, load);
            }
        }
        stage.accepted(ExportEvents.result("a", "cpu", 1, seq++, t0 + 11, 1000, false), null);
        stage.accepted(ExportEvents.result("a", "cpu", 2, seq++, t0 + 21, 1100, false), null);
        stage.accepted(ExportEvents.result("a", "cpu", 3, seq++, t0 + 31, 1300, false), null);
        stage.accepted(ExportEvents.result("b", "cpu", 1, seq++, t0 + 11, 500, true), null);
        stage.accepted(ExportEvents.result("b", "cpu", 2, seq++, t0 + 21, 600, false), null);
        double end = t0 + 40;
        List<RunSummary.Export> accounts = stage.finish(true, end);

        assertEquals(List.of("remote-write", "pushgateway"), accounts.stream().map(RunSummary.Export::kind).toList());
        assertEquals(2 * 30 * 2 + 5, accounts.get(0).sent(), accounts.get(0).describe());
        assertEquals(0, accounts.get(0).dropped(), accounts.get(0).describe());
        assertEquals(1, accounts.get(1).sent(), accounts.get(1).describe());
        assertEquals(List.of(), warnings);

        double now = System.currentTimeMillis() / 1000.0;
        for (String host : List.of("a", "b")) {
            JsonNode r = SERVERS.query("lb_sample_load1{instance=\"" + host + "\",workload=\"cpu\",unit=\"count\"}[1h]", now);
            assertEquals(1, r.size(), r.toString());
            Map<Long, Double> got = new HashMap<>();
            for (JsonNode v : r.get(0).get("values")) {
                got.put(Math.round(v.get(0).asDouble() * 1000), Double.parseDouble(v.get(1).asText()));
            }
            assertEquals(expectedLoad.get(host), got, "host " + host);
        }
        JsonNode results = SERVERS.query("lb_result{metric=\"cpu.bogo_ops_per_s\"}[1h]", now);
        List<String> got = new ArrayList<>();
        for (JsonNode series : results) {
            for (JsonNode v : series.get("values")) {
                got.add(series.get("metric").get("instance").asText() + " " + Math.round(v.get(0).asDouble() * 1000)
                        + " " + v.get(1).asText());
            }
        }
        got.sort(null);
        long a = Math.round((t0 + 11) * 1000 - 250);
        long b = Math.round((t0 + 11) * 1000 + 40);
        assertEquals(List.of("a " + a + " 1000", "a " + (a + 10_000) + " 1100", "a " + (a + 20_000) + " 1300",
                "b " + b + " 500", "b " + (b + 10_000) + " 600"), got);

        // The Pushgateway holds the statistics (warm-up excluded); Prometheus scrapes them from it.
        String pushed = SERVERS.getText(SERVERS.pushgatewayUrl() + "/metrics");
        assertTrue(pushed.contains("lb_result_mean{config=\"rw-test\",instance=\"a\",job=\"lb\",metric=\"cpu.bogo_ops_per_s\",unit=\"ops/s\",workload=\"cpu\"} 1133.3333333333333"), pushed);
        JsonNode mean = awaitQuery("lb_result_mean{job=\"lb\",config=\"rw-test\",workload=\"cpu\",instance=\"a\"}");
        assertEquals(1133.3333333333333, mean.get(0).get("value").get(1).asDouble(), 1e-9);
        assertEquals("1", awaitQuery("lb_result_n{config=\"rw-test\",instance=\"b\"}").get(0).get("value").get(1).asText());
        assertEquals(3, Integer.parseInt(awaitQuery("lb_result_n{config=\"rw-test\",instance=\"a\"}").get(0).get("value").get(1).asText()));
        assertEquals(1000, awaitQuery("lb_result_min{config=\"rw-test\",instance=\"a\"}").get(0).get("value").get(1).asDouble());
        assertEquals(1300, awaitQuery("lb_result_max{config=\"rw-test\",instance=\"a\"}").get(0).get("value").get(1).asDouble());
        assertEquals(152.75252316519467, awaitQuery("lb_result_stdev{config=\"rw-test\",instance=\"a\"}").get(0)
                .get("value").get(1).asDouble(), 1e-9);
        assertEquals(end, awaitQuery("lb_run_last_success_timestamp_seconds{config=\"rw-test\",workload=\"cpu\"}")
                .get(0).get("value").get(1).asDouble(), 1e-6);
    }

    @Test
    void theNextRunOfAConfigReplacesItsGroupAndAnotherConfigKeepsItsOwn() throws Exception {
        double t = Math.floor(System.currentTimeMillis() / 1000.0) - 30;
        ExportStage first = stage("replace-me", List.of("io"));
        first.accepted(ExportEvents.result("h", "io", 1, 1, t, 10, false), null);
        first.accepted(ExportEvents.result("old-host", "io", 1, 2, t, 20, false), null);
        first.finish(true, t);
        ExportStage other = stage("other", List.of("io"));
        other.accepted(ExportEvents.result("h", "io", 1, 1, t, 99, false), null);
        other.finish(true, t);
        ExportStage second = stage("replace-me", List.of("io"));
        second.accepted(ExportEvents.result("h", "io", 1, 1, t + 1, 30, false), null);
        second.finish(true, t + 5);

        String pushed = SERVERS.getText(SERVERS.pushgatewayUrl() + "/metrics");
        assertTrue(pushed.contains("lb_result_mean{config=\"replace-me\",instance=\"h\",job=\"lb\",metric=\"cpu.bogo_ops_per_s\",unit=\"ops/s\",workload=\"io\"} 30"), pushed);
        assertTrue(!pushed.contains("instance=\"old-host\""), "the first run's host is gone: " + pushed);
        assertTrue(pushed.contains("lb_result_mean{config=\"other\",instance=\"h\",job=\"lb\",metric=\"cpu.bogo_ops_per_s\",unit=\"ops/s\",workload=\"io\"} 99"), pushed);
    }

    @Test
    void prometheusScrapesProgressAndLatestValuesFromMetrics() throws Exception {
        RunConfig.Export settings = RunConfig.Export.NONE.listening(SERVERS.lbMetricsListen());
        ExportStage stage = ExportStage.start(settings, "scraped", List.of("cpu"), warnings::add);
        double t = System.currentTimeMillis() / 1000.0;
        for (int i = 0; i < 7; i++) {
            stage.accepted(ExportEvents.metric("a", "cpu", 1, i + 1, t + i, 1.5 + i, 10), null);
        }
        stage.accepted(ExportEvents.result("a", "cpu", 1, 100, t, 1234.5, false), null);
        String text = SERVERS.getText("http://" + SERVERS.lbMetricsListen() + "/metrics");
        assertTrue(text.contains("lb_events_accepted_total{instance=\"a\",path=\"stdout\"} 8.0"), text);
        assertTrue(text.contains("lb_load1_latest{instance=\"a\",unit=\"count\"} 7.5"), text);
        assertTrue(text.contains("lb_run_info{config=\"scraped\""), text);
        assertTrue(text.contains("lb_repetitions{status=\"running\"} 1.0"), text);
        // Filtered by value: a scrape taken before this test's events (or of an earlier test's stage on the same
        // port) is an older sample, and the query waits for the one that carries them.
        assertEquals(8, awaitQuery("lb_events_accepted_total{job=\"lb\",instance=\"a\"} == 8").get(0).get("value")
                .get(1).asInt());
        assertEquals(1234.5, awaitQuery("lb_result_latest{job=\"lb\",workload=\"cpu\",metric=\"cpu.bogo_ops_per_s\"}"
                + " == 1234.5").get(0).get("value").get(1).asDouble());
        assertEquals(List.of(), stage.finish(true, t));
        assertEquals(List.of(), warnings);
    }

    @Test
    void doctorProbesEachEndpointAsItsKindAnswers() throws Exception {
        java.time.Duration t = java.time.Duration.ofSeconds(2);
        assertEquals(null, EndpointProbe.problem(RunConfig.Export.endpoint("remote-write", SERVERS.remoteWriteUrl()), t));
        assertEquals(null, EndpointProbe.problem(RunConfig.Export.endpoint("pushgateway", SERVERS.pushgatewayUrl()), t));
        try (FakeEndpoint loki = FakeEndpoint.always(204); FakeEndpoint notReceiver = FakeEndpoint.always(404)) {
            assertEquals(null, EndpointProbe.problem(RunConfig.Export.endpoint("loki", loki.url("/loki/api/v1/push")), t));
            assertEquals("{\"streams\":[]}", new String(loki.requests.get(0).body()));
            String p = EndpointProbe.problem(RunConfig.Export.endpoint("remote-write", notReceiver.url("/api/v1/write")), t);
            assertTrue(p.contains("answered 404") && p.contains("--web.enable-remote-write-receiver"), p);
        }
        String down = EndpointProbe.problem(RunConfig.Export.endpoint("loki", "http://127.0.0.1:"
                + MonitoringServers.freePort() + "/loki/api/v1/push"), t);
        assertTrue(down != null && down.startsWith("POST http://127.0.0.1:"), down);
    }

    private static JsonNode awaitQuery(String promql) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        JsonNode r;
        do {
            r = SERVERS.query(promql, null);
            if (r.size() > 0) {
                return r;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no data within 15 s for " + promql);
    }
}

package dev.lb.controller.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lb.controller.config.RunConfig;
import dev.lb.controller.listener.Sighting;
import dev.lb.controller.state.RunSummary;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The Loki exporter against an in-test receiver that checks each push against Loki's documented push API
 * (POST /loki/api/v1/push, JSON, gzip): {"streams":[{"stream":{labels},"values":[["<ns as string>","<line>"]]}]},
 * entries of a stream in time order, bounded labels only. Not run against a real Loki (none can be installed here).
 */
class ExportLokiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> LABELS = Set.of("service_name", "host", "workload", "type", "level");

    @Test
    void everyEventPushedOnceInOrderPerStreamWithBoundedLabels() throws Exception {
        try (FakeEndpoint loki = FakeEndpoint.always(204)) {
            RunConfig.Export settings = new RunConfig.Export(List.of(RunConfig.Export.endpoint("loki",
                    loki.url("/loki/api/v1/push"))), 10_000, 50, 5, 5, true, null);
            ExportStage stage = ExportStage.start(settings, "loki-test", List.of("cpu"), m -> { }, Duration.ofSeconds(2));
            double t0 = 1_796_600_000.25;
            List<Sighting> events = new ArrayList<>();
            events.add(ExportEvents.system("a", 100, t0));
            events.add(ExportEvents.system("b", 0, t0));
            long seq = 1;
            for (int i = 0; i < 120; i++) {
                for (String host : List.of("a", "b")) {
                    events.add(ExportEvents.metric(host, "cpu", 1 + i / 40, seq++, t0 + i, i, 1));
                    events.add(ExportEvents.log(host, "cpu", 1 + i / 40, seq++, t0 + i + 0.000001, "line " + i));
                }
            }
            // A late event (recovered after the run) is older than what its stream already got.
            events.add(ExportEvents.log("a", "cpu", 1, seq++, t0 - 10, "late"));
            events.forEach(s -> stage.accepted(s, null));
            RunSummary.Export account = stage.finish(true, t0 + 200).get(0);
            assertEquals(events.size(), account.sent(), account.describe());

            Set<String> seen = new HashSet<>();
            int entries = 0;
            assertTrue(loki.requests.size() >= events.size() / 50, "batched by 50: " + loki.requests.size());
            for (FakeEndpoint.Request r : loki.requests) {
                assertEquals("POST", r.method());
                assertEquals("/loki/api/v1/push", r.path());
                assertEquals("gzip", r.header("Content-encoding"));
                assertEquals("application/json", r.header("Content-type"));
                JsonNode push = JSON.readTree(r.body());
                assertEquals(Set.of("streams"), names(push));
                for (JsonNode stream : push.get("streams")) {
                    assertEquals(Set.of("stream", "values"), names(stream));
                    assertEquals(LABELS, names(stream.get("stream")), "labels: " + stream.get("stream"));
                    assertEquals("lb", stream.get("stream").get("service_name").asText());
                    BigInteger last = BigInteger.ZERO;
                    for (JsonNode v : stream.get("values")) {
                        assertEquals(2, v.size());
                        assertTrue(v.get(0).isTextual() && v.get(0).asText().matches("\\d{19}"), v.toString());
                        BigInteger ns = new BigInteger(v.get(0).asText());
                        assertTrue(ns.compareTo(last) >= 0, "in order within the stream: " + stream);
                        last = ns;
                        JsonNode line = JSON.readTree(v.get(1).asText());
                        assertEquals(ExportEvents.RUN, line.get("run_id").asText());
                        assertEquals(stream.get("stream").get("host").asText(), line.get("host").asText());
                        assertEquals(stream.get("stream").get("type").asText(), line.get("type").asText());
                        String identity = line.get("host").asText() + "/" + line.get("src").asText() + "/"
                                + line.get("seq").asText();
                        assertTrue(seen.add(identity), "pushed twice: " + identity);
                        entries++;
                        if (line.get("seq").asLong() == 3 && line.get("host").asText().equals("a")) {
                            // The host's clock is 100 ms ahead: the entry is at the controller's time of the event.
                            assertEquals(new BigInteger("1796600000150000000"), ns);
                        }
                    }
                }
            }
            assertEquals(events.size(), entries);
        }
    }

    @Test
    void systemSamplesLeftOutWhenAsked() throws Exception {
        try (FakeEndpoint loki = FakeEndpoint.always(204)) {
            RunConfig.Export settings = new RunConfig.Export(List.of(RunConfig.Export.endpoint("loki",
                    loki.url("/loki/api/v1/push"))), 10_000, 500, 5, 5, false, null);
            ExportStage stage = ExportStage.start(settings, "loki-test", List.of("cpu"), m -> { }, Duration.ofSeconds(2));
            stage.accepted(ExportEvents.metric("a", "cpu", 1, 1, 1_796_600_000, 1, 1), null);
            stage.accepted(ExportEvents.log("a", "cpu", 1, 2, 1_796_600_000, "kept"), null);
            assertEquals(1, stage.finish(true, 0).get(0).sent());
            JsonNode push = JSON.readTree(loki.requests.get(0).body());
            assertEquals("log", push.get("streams").get(0).get("stream").get("type").asText());
        }
    }

    private static Set<String> names(JsonNode o) {
        Set<String> out = new TreeSet<>();
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}

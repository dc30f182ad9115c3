package dev.lb.controller.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.controller.listener.Sighting;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /metrics as a scrape sees it, fed event by event (no Prometheus needed: the endpoint's own text). */
class MetricsEndpointTest {
    private MetricsEndpoint endpoint;

    @BeforeEach
    void start() throws Exception {
        endpoint = MetricsEndpoint.start("127.0.0.1:0", "cfg", "test");
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private void feed(Sighting... sightings) {
        for (Sighting s : sightings) {
            endpoint.accepted(s, null);
        }
    }

    private String scrape() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port()
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    @Test
    void eachRepetitionCountsOnceUnderItsLatestStatusWhateverTheOrderOfHostsAndRepetitions() throws Exception {
        feed(ExportEvents.status("a", "cpu", 1, 1, "running"),
                ExportEvents.log("a", "cpu", 1, 2, 2.0, "x"),
                ExportEvents.log("b", "cpu", 1, 1, 2.0, "x"),   // b's first event: running
                ExportEvents.log("a", "cpu", 1, 3, 2.1, "y"),
                ExportEvents.status("a", "cpu", 1, 4, "done"),
                ExportEvents.log("a", "io", 1, 1, 2.2, "z"),    // a's next workload, same repetition number
                ExportEvents.status("a", "cpu", 1, 5, "done"),  // a late sighting of the first: still done, once
                ExportEvents.log("a", "io", 1, 2, 2.3, "w"),
                ExportEvents.status("b", "cpu", 1, 2, "failed"),
                ExportEvents.log("b", "cpu", 2, 1, 2.4, "v"));
        String text = scrape();
        assertEquals(1.0, value(text, "lb_repetitions{status=\"done\"}"), text);     // a cpu 1
        assertEquals(2.0, value(text, "lb_repetitions{status=\"running\"}"), text);  // a io 1, b cpu 2
        assertEquals(1.0, value(text, "lb_repetitions{status=\"failed\"}"), text);   // b cpu 1
        assertEquals(7.0, value(text, "lb_events_accepted_total{instance=\"a\",path=\"stdout\"}"), text);
        assertEquals(3.0, value(text, "lb_events_accepted_total{instance=\"b\",path=\"stdout\"}"), text);
        assertTrue(!text.contains("trace_id"), "no exemplars: " + text);
    }

    @Test
    void aHostsLatestSampleAndResultAreGaugesByHost() throws Exception {
        for (Sighting s : List.of(ExportEvents.metric("a", "cpu", 1, 1, 1.0, 0.5, 10),
                ExportEvents.metric("a", "cpu", 1, 2, 2.0, 0.75, 20), ExportEvents.metric("b", "cpu", 1, 1, 1.0, 3, 30),
                ExportEvents.result("a", "cpu", 1, 3, 3.0, 4321, false))) {
            feed(s);
        }
        String text = scrape();
        assertEquals(0.75, value(text, "lb_load1_latest{instance=\"a\",unit=\"count\"}"), text);
        assertEquals(3.0, value(text, "lb_load1_latest{instance=\"b\",unit=\"count\"}"), text);
        assertEquals(4321.0, value(text, "lb_result_latest{instance=\"a\",metric=\"cpu.bogo_ops_per_s\",unit=\"ops/s\","
                + "workload=\"cpu\"}"), text);
    }
}

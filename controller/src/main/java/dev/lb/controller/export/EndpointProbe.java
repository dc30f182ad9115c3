package dev.lb.controller.export;

import dev.lb.controller.config.RunConfig;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * Whether an export endpoint answers as its kind should, without sending anything of a run (for {@code lb doctor}):
 * remote write gets an empty WriteRequest, Loki an empty push, the Pushgateway a GET of its readiness page.
 */
public final class EndpointProbe {
    private EndpointProbe() {
    }

    /** Null when the endpoint accepted the probe, else what went wrong in one line. */
    public static String problem(RunConfig.Endpoint e, Duration timeout) {
        HttpEndpoint http = new HttpEndpoint(timeout);
        Delivery d;
        try {
            d = switch (e.kind()) {
                case "remote-write" -> http.send("POST", e.url(), Snappy.compress(new byte[0]), Map.of(
                        "Content-Type", "application/x-protobuf", "Content-Encoding", "snappy",
                        "X-Prometheus-Remote-Write-Version", "0.1.0"));
                case "loki" -> http.send("POST", e.url(), "{\"streams\":[]}".getBytes(), Map.of(
                        "Content-Type", "application/json"));
                case "pushgateway" -> http.send("GET", URI.create(e.url().toString().replaceAll("/+$", "")
                        + "/-/ready"), new byte[0], Map.of());
                default -> Delivery.drop("unknown kind " + e.kind());
            };
        } catch (IOException x) {
            return "cannot compress an empty request: " + x.getMessage();
        }
        if (d.outcome() == Delivery.Outcome.SENT) {
            return null;
        }
        String hint = d.detail().contains(" 404") && e.kind().equals("remote-write")
                ? " (is Prometheus started with --web.enable-remote-write-receiver?)" : "";
        return d.detail() + hint;
    }
}

package dev.lb.agent.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.EventLevel;
import dev.lb.protocol.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What k6 tells us besides its log lines: the level of a logfmt line, its summary, the meaning of its exit code. */
final class K6Results {
    private static final Pattern LEVEL = Pattern.compile("(?:^|\\s)level=\"?(\\w+)");
    private static final Map<Integer, String> EXIT_CODES = Map.of(
            97, "k6_cloud_test_failed",
            99, "k6_thresholds_failed",
            103, "k6_setup_timeout",
            104, "k6_teardown_timeout",
            105, "k6_timeout",
            107, "k6_script_exception",
            108, "k6_invalid_config",
            110, "k6_script_aborted");

    private K6Results() {
    }

    static EventLevel levelOf(String logfmtLine) {
        Matcher m = LEVEL.matcher(logfmtLine);
        if (!m.find()) {
            return EventLevel.INFO;
        }
        return switch (m.group(1).toLowerCase()) {
            case "debug", "trace" -> EventLevel.DEBUG;
            case "warning", "warn" -> EventLevel.WARNING;
            case "error", "fatal", "panic" -> EventLevel.ERROR;
            default -> EventLevel.INFO;
        };
    }

    static String errorType(int rc) {
        return EXIT_CODES.getOrDefault(rc, "nonzero_exit");
    }

    /**
     * The main metrics of a {@code --summary-export} file: requests, failed requests, latency percentiles,
     * iterations, checks. Metrics k6 did not report are left out rather than invented.
     */
    static ObjectNode summary(Path summaryFile) throws IOException {
        JsonNode metrics = Json.MAPPER.readTree(summaryFile.toFile()).path("metrics");
        ObjectNode out = Json.MAPPER.createObjectNode();
        copy(metrics, "http_reqs", "count", out, "requests");
        copy(metrics, "http_reqs", "rate", out, "requests_per_s");
        // In the summary export, http_req_failed's "passes" counts requests that failed (the rate is true).
        copy(metrics, "http_req_failed", "passes", out, "failed_requests");
        copy(metrics, "http_req_failed", "value", out, "failed_rate");
        copy(metrics, "http_req_duration", "avg", out, "latency_avg_ms");
        copy(metrics, "http_req_duration", "med", out, "latency_p50_ms");
        copy(metrics, "http_req_duration", "p(90)", out, "latency_p90_ms");
        copy(metrics, "http_req_duration", "p(95)", out, "latency_p95_ms");
        copy(metrics, "http_req_duration", "max", out, "latency_max_ms");
        copy(metrics, "iterations", "count", out, "iterations");
        copy(metrics, "checks", "passes", out, "checks_passed");
        copy(metrics, "checks", "fails", out, "checks_failed");
        copy(metrics, "vus_max", "value", out, "vus_max");
        return out;
    }

    private static void copy(JsonNode metrics, String metric, String field, ObjectNode out, String name) {
        JsonNode v = metrics.path(metric).path(field);
        if (v.isNumber()) {
            out.set(name, v);
        }
    }
}

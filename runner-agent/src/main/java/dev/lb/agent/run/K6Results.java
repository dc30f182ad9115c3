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
}

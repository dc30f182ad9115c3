package dev.lb.agent.sysinfo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.protocol.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code lscpu -J}: {@code {"lscpu": [{"field": "Model name:", "data": "..."}, ...]}}, flat in util-linux 2.38,
 * nested under {@code children} in later versions; read as one map from field (without its colon) to data.
 */
final class LscpuJson {
    private LscpuJson() {
    }

    static Map<String, String> parse(String text) throws IOException {
        JsonNode root = Json.MAPPER.readTree(text);
        if (root == null || !root.path("lscpu").isArray()) {
            throw new IOException("lscpu -J printed no \"lscpu\" array");
        }
        Map<String, String> out = new LinkedHashMap<>();
        flatten(root.get("lscpu"), out);
        return out;
    }

    private static void flatten(JsonNode entries, Map<String, String> out) {
        for (JsonNode e : entries) {
            String field = e.path("field").asText("").strip();
            if (field.endsWith(":")) {
                field = field.substring(0, field.length() - 1);
            }
            if (!field.isEmpty() && e.path("data").isTextual()) {
                out.putIfAbsent(field, e.get("data").asText().strip());
            }
            if (e.path("children").isArray()) {
                flatten(e.get("children"), out);
            }
        }
    }
}

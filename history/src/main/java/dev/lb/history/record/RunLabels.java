package dev.lb.history.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's labels (the commit of the system under test, a branch, ...), kept in its run directory as labels.json so
 * that importing the run again later records them again.
 */
public final class RunLabels {
    public static final String FILE = "labels.json";

    private RunLabels() {
    }

    /** {@code key=value}, as --label takes it. */
    public static Map.Entry<String, String> parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("a label is key=value, not '" + text + "'");
        }
        return Map.entry(text.substring(0, eq).trim(), text.substring(eq + 1));
    }

    public static Map<String, String> read(Path runDir) throws RunDirectoryException {
        Path file = runDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            JsonNode n = Json.MAPPER.readTree(file.toFile());
            Map<String, String> out = new TreeMap<>();
            n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
            return out;
        } catch (IOException e) {
            throw new RunDirectoryException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Adds {@code labels} to the run directory's (the same name: the new value), written whole or not at all. */
    public static void write(Path runDir, Map<String, String> labels) throws IOException, RunDirectoryException {
        if (labels.isEmpty()) {
            return;
        }
        Map<String, String> all = new TreeMap<>(read(runDir));
        all.putAll(labels);
        ObjectNode o = Json.MAPPER.createObjectNode();
        all.forEach(o::put);
        Path tmp = runDir.resolve(FILE + ".tmp");
        Files.writeString(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
        Files.move(tmp, runDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

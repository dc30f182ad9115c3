package dev.lb.agent.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.agent.stream.AtomicFiles;
import dev.lb.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The watcher's state: namespace/container -> exit code, exit time, OOM flag. Replaced atomically on every change
 * (temp file, fsync, rename), so a reader, or a watcher killed mid-write, never sees half a file.
 */
public final class ExitStateFile {
    private ExitStateFile() {
    }

    public static void write(Path file, Map<String, ContainerExit> exits) throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        exits.forEach((key, e) -> root.set(key, toJson(e)));
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFiles.write(file, (Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    /** One entry, as in the file: what {@code status NS ID} prints too. */
    public static ObjectNode toJson(ContainerExit e) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        {
            o.put("namespace", e.namespace());
            o.put("container_id", e.containerId());
            if (e.exitCode() == null) {
                o.putNull("exit_code");
            } else {
                o.put("exit_code", e.exitCode());
            }
            o.put("exited_at", e.exitedAt() == null ? null : e.exitedAt().toString());
            o.put("oom", e.oom());
            o.put("source", e.source());
        }
        return o;
    }

    public static Map<String, ContainerExit> read(Path file) throws IOException {
        Map<String, ContainerExit> out = new LinkedHashMap<>();
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return out;
        }
        if (root == null) {
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode o = f.getValue();
            out.put(f.getKey(), new ContainerExit(o.path("namespace").asText(), o.path("container_id").asText(),
                    o.path("exit_code").isNull() ? null : o.path("exit_code").asInt(),
                    o.path("exited_at").isTextual() ? Instant.parse(o.path("exited_at").asText()) : null,
                    o.path("oom").asBoolean(), o.path("source").asText("event")));
        }
        return out;
    }
}

package dev.lb.controller.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/** {@code runs/<id>/system/<host>.json}: each target's system object as its system event carried it. */
public final class SystemFiles {
    public static final String DIR = "system";

    private SystemFiles() {
    }

    /** Writes one file per host (whole or not at all); a host name is an inventory name, safe as a file name. */
    public static void write(Path runDir, Map<String, ? extends JsonNode> systems) throws IOException {
        if (systems.isEmpty()) {
            return;
        }
        Path dir = Files.createDirectories(runDir.resolve(DIR));
        for (Map.Entry<String, ? extends JsonNode> e : systems.entrySet()) {
            Path file = dir.resolve(e.getKey() + ".json");
            Path tmp = dir.resolve(e.getKey() + ".json.tmp");
            Files.writeString(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(e.getValue()) + "\n",
                    StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}

package dev.lb.agent.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code status.json}: the repetition's outcome, written atomically and only after the final event is on disk, so
 * whoever sees this file has already been able to read every event of the repetition.
 */
public final class StatusFile {
    public static final String NAME = "status.json";

    private StatusFile() {
    }

    public static void write(Path runDir, ObjectNode status, EventStream stream) throws IOException {
        stream.sync();
        AtomicFiles.write(runDir.resolve(NAME), (Json.line(status) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}

package dev.lb.controller.results;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes results.json and results.csv into a run directory, each whole or not at all (temp file, then rename). */
public final class ResultsFiles {
    public static final String JSON = "results.json";
    public static final String CSV = "results.csv";

    private ResultsFiles() {
    }

    /** Returns the JSON written, for printing it as it is on disk. */
    public static String write(Path runDir, RunResults results) throws IOException {
        ObjectNode json = ResultsJson.of(results);
        String text = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n";
        atomically(runDir.resolve(JSON), text);
        atomically(runDir.resolve(CSV), ResultsCsv.of(results));
        return text;
    }

    private static void atomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

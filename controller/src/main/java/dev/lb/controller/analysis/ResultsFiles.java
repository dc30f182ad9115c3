package dev.lb.controller.analysis;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * results.json and results.csv in a run directory: written each whole or not at all (temp file, then rename), and
 * whether they still say what the journal says.
 */
public final class ResultsFiles {
    public static final String JSON = "results.json";
    public static final String CSV = "results.csv";

    private ResultsFiles() {
    }

    /** Returns the JSON written, for printing it as it is on disk. */
    public static String write(Path runDir, RunResults results) throws ResultsException {
        try {
            ObjectNode json = ResultsJson.of(results);
            String text = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n";
            atomically(runDir.resolve(JSON), text);
            atomically(runDir.resolve(CSV), ResultsCsv.of(results));
            return text;
        } catch (IOException e) {
            throw new ResultsException("cannot write results into " + runDir + ": " + e, e);
        }
    }

    /**
     * Whether results.json is missing or not newer than the journal, so it may not hold what the journal says. The
     * same modification time counts as stale: a line appended within the file system's clock tick would not show.
     */
    public static boolean stale(Path runDir) throws ResultsException {
        Path json = runDir.resolve(JSON);
        Path journal = runDir.resolve(ResultEvents.JOURNAL);
        try {
            return !Files.exists(json)
                    || Files.getLastModifiedTime(json).compareTo(Files.getLastModifiedTime(journal)) <= 0;
        } catch (IOException e) {
            throw new ResultsException("cannot compare the times of " + json + " and " + journal + ": " + e, e);
        }
    }

    private static void atomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

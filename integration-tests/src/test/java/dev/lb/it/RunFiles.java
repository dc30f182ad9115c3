package dev.lb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reading what a run left in its run directory, as the end-to-end tests check it. */
final class RunFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunFiles() {
    }

    /**
     * Where a test keeps its files: integration-tests/target/e2e/METHOD-HHMMSS, left in place so that a failure can be
     * looked at (the tests name it when they fail).
     */
    static Path workDir(org.junit.jupiter.api.TestInfo info) {
        return workDir(info.getTestMethod().orElseThrow().getName());
    }

    static Path workDir(String testName) {
        return LbProcess.ROOT.resolve("integration-tests/target/e2e").resolve(testName + "-"
                + java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("HHmmss")));
    }

    /**
     * The one run directory under {@code runs} (a test makes one run per output directory; the history store,
     * history.db and its companions, sits beside it).
     */
    static Path onlyRunDir(Path runs) throws IOException {
        try (Stream<Path> dirs = Files.list(runs)) {
            List<Path> all = dirs.filter(Files::isDirectory).toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }

    /** Every record of journal.jsonl. */
    static List<JsonNode> journal(Path runDir) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(runDir.resolve("journal.jsonl"), StandardCharsets.UTF_8)) {
            out.add(JSON.readTree(l));
        }
        return out;
    }
}

package dev.lb.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.controller.run.RunRecord;
import dev.lb.controller.state.RunSummary;
import dev.lb.controller.state.SummaryFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunsCommandTest {
    @TempDir
    Path runs;

    private void run(String id, long started, String outcome) throws Exception {
        Path d = runs.resolve(id);
        Files.createDirectories(d);
        new RunRecord(id, "cfg-" + id, "a", started, List.of("h"), List.of("w"), 1, "i", "v", false).write(d);
        if (outcome != null) {
            SummaryFile.write(d.resolve("summary.json"), RunSummary.empty(id, "cfg-" + id, outcome, List.of()));
        }
    }

    @Test
    void pastRunsAreListedNewestFirstAndLastNamesTheNewest() throws Exception {
        run("older", 1_000_000, "done");
        run("newest", 3_000_000, null);
        run("middle", 2_000_000, "failed");
        Files.createDirectories(runs.resolve("not-a-run"));
        CliRun r = CliRun.run("runs", "--output-dir", runs.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(4, lines.size(), r.out());
        assertTrue(lines.get(1).startsWith("newest") && lines.get(1).contains("no summary (still going"), r.out());
        assertTrue(lines.get(2).startsWith("middle") && lines.get(2).contains("failed (exit 0)"), r.out());
        assertTrue(lines.get(3).startsWith("older"), r.out());
        CliRun last = CliRun.run("journal", "summary", "last", "--output-dir", runs.toString());
        assertEquals(3, last.exitCode(), "the newest run has no summary yet\n" + last.err());
        assertTrue(last.err().contains("newest"), last.err());
    }

    @Test
    void noRunsIsSaidNotAnError() {
        CliRun r = CliRun.run("runs", "--output-dir", runs.resolve("none").toString());
        assertEquals(0, r.exitCode());
        assertTrue(r.out().startsWith("no runs under"), r.out());
    }
}

package dev.lb.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.controller.state.RunSummary;
import dev.lb.controller.state.SummaryFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 29: a zero-byte journal was summarized "done (exit 0), 32 journalled, complete" on summary.json's word. */
class JournalSummaryAgreementTest {
    @TempDir
    Path run;

    @Test
    void aSummaryThatDisagreesWithItsJournalIsSaidAndExitsThree() throws Exception {
        SummaryFile.write(run.resolve("summary.json"), RunSummary.empty("r1", "c.yaml", "done", List.of()));
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) dev.lb.protocol.Json.MAPPER.readTree(
                run.resolve("summary.json").toFile());
        tree.putObject("journal").put("records", 32).put("bytes", 9000);
        Files.writeString(run.resolve("summary.json"), tree.toString());
        Files.writeString(run.resolve("journal.jsonl"), "");
        CliRun r = CliRun.run("journal", "summary", run.toString());
        assertEquals(3, r.exitCode(), r.out() + r.err());
        assertEquals("lb: summary.json says 32 records were journalled, but journal.jsonl holds 0: they disagree, so what"
                + " the summary claims cannot be trusted (cannot tell)\n", r.err());
        assertTrue(r.out().startsWith("run r1: done"), r.out());
    }
}

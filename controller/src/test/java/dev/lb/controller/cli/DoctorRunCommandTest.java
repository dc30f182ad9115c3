package dev.lb.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorRunCommandTest {
    @TempDir
    Path dir;

    @Test
    void aDirectoryThatIsNotARunIsAUsageErrorNotCannotTell() throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "hello");
        CliRun r = CliRun.run("doctor", "--run", dir.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("is not a run directory"), r.err());
    }

    @Test
    void aRunWithOnlyItsJournalIsDiagnosedAsCannotTell() throws Exception {
        Files.writeString(dir.resolve("journal.jsonl"), "");
        CliRun r = CliRun.run("doctor", "--run", dir.toString());
        assertEquals(3, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("cannot tell"), r.out());
    }
}

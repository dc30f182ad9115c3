package dev.lb.controller.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryFileTest {
    @TempDir
    Path dir;

    private static RunSummary summary(String outcome) {
        return RunSummary.empty("r1", "cfg", outcome, List.of());
    }

    @Test
    void theSummaryIsWrittenIntoItsReservedRoomAndTheReservationIsGone() throws Exception {
        Path file = dir.resolve("summary.json");
        SummaryFile.reserve(file, 64 * 1024);
        assertEquals(64 * 1024, Files.size(SummaryFile.reservation(file)));
        assertFalse(Files.exists(file), "no summary.json before the end: the run is not finished");
        SummaryFile.write(file, summary("done"));
        assertFalse(Files.exists(SummaryFile.reservation(file)));
        assertTrue(Files.size(file) < 64 * 1024, "cut to its length");
        assertEquals("done", SummaryFile.read(file).outcome());
    }

    @Test
    void aSummaryLargerThanItsRoomIsStillWrittenWhole() throws Exception {
        Path file = dir.resolve("summary.json");
        SummaryFile.reserve(file, 16);
        SummaryFile.write(file, summary("x".repeat(5000)));
        assertEquals("x".repeat(5000), SummaryFile.read(file).outcome());
    }

    @Test
    void anUnfinishedRunIsMarkedAndAFinishedOneReplacesIt() throws Exception {
        Path file = dir.resolve("summary.json");
        SummaryFile.reserve(file, 4096);
        SummaryFile.write(file, summary("interrupted").asUnfinished());
        assertTrue(SummaryFile.read(file).isUnfinished());
        SummaryFile.write(file, summary("done"));
        assertFalse(SummaryFile.read(file).isUnfinished(), "lb recover's summary replaces it");
    }
}

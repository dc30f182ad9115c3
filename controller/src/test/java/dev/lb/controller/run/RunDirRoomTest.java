package dev.lb.controller.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.controller.config.RunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirRoomTest {
    @TempDir
    Path dir;

    @Test
    void theEstimateIsHostsTimesWorkloadsTimesRepetitionsTimesTheDeadlineAtMostFiveMinutes() throws Exception {
        RunConfig quick = RunConfig.quickstart(dir.resolve("runs")); // 1 host, 1 workload, 3 repetitions, 600 s
        RunDirRoom room = RunDirRoom.of(quick);
        assertEquals(1L * 1 * 3 * 300 * 100 * 1536, room.estimateBytes());
        assertTrue(room.basis().contains("3 repetition(s) x 300 s"), room.basis());
        assertEquals(Files.getFileStore(dir).getUsableSpace(), room.freeBytes(), 64L << 20);
    }

    @Test
    void aMissingOutputDirectoryIsMeasuredOnTheDiskItWillBeCreatedOn() throws Exception {
        RunDirRoom room = RunDirRoom.of(RunConfig.quickstart(dir.resolve("not/yet/there")));
        assertTrue(room.freeBytes() > 0);
    }

    @Test
    void belowTheFloorTheRunIsRefusedWithTheNumbers() {
        RunDirRoom full = new RunDirRoom(200_000, 50_000_000, "basis");
        assertTrue(full.belowFloor());
        assertTrue(full.tight());
        assertTrue(full.refusal(Path.of("runs")).contains("0.2 MiB free under runs, below the floor of 1.0 MiB"),
                full.refusal(Path.of("runs")));
        RunDirRoom roomy = new RunDirRoom(100_000_000, 50_000_000, "basis");
        assertFalse(roomy.belowFloor());
        assertFalse(roomy.tight());
    }
}

package dev.lb.controller.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where runs go: a missing directory is made; one that cannot be is said with its true reason. */
class RunDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingOutputDirectoryIsCreatedWithItsParents() throws Exception {
        Path out = tmp.resolve("a/b/runs");
        RunDirectory.checkUsable(out);
        assertTrue(Files.isDirectory(out));
        assertTrue(Files.isDirectory(RunDirectory.create(out, "r1")));
    }

    @Test
    void aFileWhereTheOutputDirectoryShouldBeIsNamedAsSuch() throws Exception {
        Path file = Files.writeString(tmp.resolve("passwd"), "root:x:0:0\n");
        assertEquals("output_dir " + file + ": " + file + " is a file, not a directory; runs go into a directory",
                assertThrows(RunDirectory.Unusable.class, () -> RunDirectory.checkUsable(file)).getMessage());
        Path below = file.resolve("runs");
        assertEquals("output_dir " + below + ": " + file + " is a file, not a directory; runs go into a directory",
                assertThrows(RunDirectory.Unusable.class, () -> RunDirectory.checkUsable(below)).getMessage(),
                "a file anywhere on the way is the reason, not a full disk");
        assertEquals("root:x:0:0\n", Files.readString(file), "and it is left as it was");
    }
}

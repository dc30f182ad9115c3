package dev.lb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code ./lb} from the repository root, as the README tells users to run it. */
class LauncherTest {
    private static final String CORPUS = "testdata/corpora/ansible-stdout/";

    @Test
    void parsesARealCaptureFromAFileAndFromStdin() throws Exception {
        LbProcess fromFile = LbProcess.run(null, "events", "parse", CORPUS + "default-verbose.txt");
        assertEquals(0, fromFile.exitCode(), fromFile.err());
        assertEquals(4, fromFile.out().lines().count(), fromFile.out());
        assertTrue(fromFile.err().contains("events: 4, duplicates merged: 13, rejected: 0"), fromFile.err());

        LbProcess fromStdin = LbProcess.run(LbProcess.ROOT.resolve(CORPUS + "yaml.txt"), "events", "parse");
        assertEquals(0, fromStdin.exitCode(), fromStdin.err());
        assertEquals(fromFile.out(), fromStdin.out());
    }

    @Test
    void missingFileIsOneLineAndExitTwo() throws Exception {
        LbProcess r = LbProcess.run(null, "events", "parse", "no-such-file.log");
        assertEquals(2, r.exitCode());
        assertEquals("lb: cannot read no-such-file.log: no such file\n", r.err());
    }

    @Test
    void helpListsTheCommands() throws Exception {
        LbProcess r = LbProcess.run(null, "--help");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("events"), r.out());
        assertTrue(r.out().contains("Exit codes"), r.out());
    }
}

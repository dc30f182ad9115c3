package dev.lb.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RunSlicesOptionTest {
    @Test
    void slicesOutsideOneTo64OrAutoIsAUsageErrorBeforeAnythingRuns() throws Exception {
        for (String bad : new String[] {"0", "65", "two", ""}) {
            CliRun r = CliRun.run("run", "--slices", bad);
            assertEquals(2, r.exitCode(), bad + ": " + r.err());
            assertEquals("lb: --slices must be auto or 1 to 64, was '" + bad + "'\n", r.err());
        }
    }
}

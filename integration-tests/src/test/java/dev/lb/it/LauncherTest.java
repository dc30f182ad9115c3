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

    /**
     * Issue 29: a 200 MB line in a journal ended `lb journal show`, `lb doctor --run`, `lb results` and `lb report` in
     * an OutOfMemoryError with a stack trace. Now the line is skipped and named, the records around it are read, and
     * no command prints a stack trace.
     */
    @Test
    void aTwoHundredMegabyteJournalLineIsNamedByEveryReaderWithoutAStackTrace() throws Exception {
        java.nio.file.Path run = java.nio.file.Files.createTempDirectory("lb-hugeline");
        try {
            java.nio.file.Path journal = run.resolve("journal.jsonl");
            String rec = "{\"received\":1.5,\"path\":\"jsonl\",\"event\":{\"v\":1,\"run_id\":\"r\",\"host\":\"h\","
                    + "\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"type\":\"log\",\"src\":\"agent\","
                    + "\"seq\":%d,\"ts\":1.5,\"message\":\"m\"}}\n";
            try (var out = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(journal), 1 << 20)) {
                out.write(String.format(rec, 1).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                byte[] chunk = "x".repeat(1 << 20).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                for (int i = 0; i < 200; i++) {
                    out.write(chunk);
                }
                out.write('\n');
                out.write(String.format(rec, 2).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            String named = journal + ":2: unreadable record (a line of 209715200 bytes, over the limit of 8388608),"
                    + " skipped";
            for (String[] cmd : new String[][] {{"journal", "show", run.toString()}, {"doctor", "--run", run.toString()},
                {"results", run.toString()}, {"report", run.toString(), "-o", run.resolve("r.html").toString()}}) {
                LbProcess r = LbProcess.run(null, cmd);
                String all = r.out() + r.err();
                assertTrue(!all.contains("\tat ") && !all.contains("OutOfMemoryError") && !all.contains("Exception"),
                        String.join(" ", cmd) + " (exit " + r.exitCode() + "):\n" + all.substring(0,
                                Math.min(3000, all.length())));
                if (cmd[0].equals("journal")) {
                    assertTrue(r.err().contains(named), r.err());
                    assertEquals(2, r.out().lines().filter(l -> l.contains(" h w 1 INFO agent m")).count(),
                            "the records around it:\n" + r.out());
                }
            }
        } finally {
            try (var files = java.nio.file.Files.walk(run)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}

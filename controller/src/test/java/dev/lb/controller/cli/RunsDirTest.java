package dev.lb.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.controller.run.RunRecord;
import dev.lb.controller.state.RunSummary;
import dev.lb.controller.state.SummaryFile;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** LB_RUNS_DIR: where every command looks for runs, and where lb run puts them, unless --output-dir says otherwise. */
class RunsDirTest {
    @TempDir
    Path runs;

    /** Every command that looks up runs (or makes one), with the arguments it needs to parse. */
    private static final List<List<String>> COMMANDS = List.of(List.of("run"), List.of("recover", "r1"),
            List.of("runs"), List.of("journal", "show", "r1"), List.of("journal", "summary", "r1"),
            List.of("doctor"), List.of("results", "r1"), List.of("compare", "r1", "r2"), List.of("report", "r1"),
            List.of("history"), List.of("history", "show"), List.of("history", "import", "--all"),
            List.of("history", "check", "r1"), List.of("history", "exclude", "r1", "--reason", "x"));

    private static Object outputDirAfterParsing(Map<String, String> env, List<String> args) {
        CommandLine cl = LbCommand.commandLine(new ByteArrayInputStream(new byte[0]),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), env);
        CommandLine.ParseResult pr = cl.parseArgs(args.toArray(String[]::new));
        while (pr.hasSubcommand()) {
            pr = pr.subcommand();
        }
        return pr.commandSpec().findOption("--output-dir").getValue();
    }

    @Test
    void everyCommandThatLooksUpRunsTakesLbRunsDirAsItsOutputDir() {
        for (List<String> args : COMMANDS) {
            assertEquals(Path.of("/data/lb-runs"), outputDirAfterParsing(Map.of("LB_RUNS_DIR", "/data/lb-runs"), args),
                    String.join(" ", args));
        }
    }

    @Test
    void anExplicitOutputDirWinsOverLbRunsDir() {
        for (List<String> args : COMMANDS) {
            List<String> withOption = new java.util.ArrayList<>(args);
            // After the subcommand's name: journal's and history's subcommands have their own options.
            boolean sub = args.get(0).equals("journal") || args.get(0).equals("history") && args.size() > 1
                    && !args.get(1).startsWith("-");
            withOption.add(sub ? 2 : 1, "--output-dir=/elsewhere");
            assertEquals(Path.of("/elsewhere"), outputDirAfterParsing(Map.of("LB_RUNS_DIR", "/data/lb-runs"), withOption),
                    String.join(" ", withOption));
        }
    }

    @Test
    void withoutLbRunsDirRunsAreInRunsOfTheCurrentDirectoryAndLbRunKeepsTheConfigs() {
        assertEquals(Path.of("runs"), outputDirAfterParsing(Map.of(), List.of("runs")));
        assertEquals(Path.of("runs"), outputDirAfterParsing(Map.of("LB_RUNS_DIR", ""), List.of("results", "r1")));
        assertNull(outputDirAfterParsing(Map.of(), List.of("run")), "lb run: the config's output_dir, else runs");
        assertNull(outputDirAfterParsing(Map.of(), List.of("doctor")), "lb doctor -c: the config's output_dir");
    }

    @Test
    void lbRunsAndLastFindTheRunsOfLbRunsDir() throws Exception {
        for (String id : List.of("old", "new")) {
            Path d = Files.createDirectories(runs.resolve(id));
            new RunRecord(id, "cfg", "a", id.equals("new") ? 2_000_000 : 1_000_000, List.of("h"), List.of("w"), 1, "i",
                    "v", false).write(d);
            SummaryFile.write(d.resolve("summary.json"), RunSummary.empty(id, "cfg", "done", List.of()));
        }
        Map<String, String> env = Map.of("LB_RUNS_DIR", runs.toString());
        CliRun list = CliRun.withEnv(env, "", "runs");
        assertEquals(0, list.exitCode(), list.err());
        assertTrue(list.out().lines().skip(1).findFirst().orElseThrow().startsWith("new"), list.out());
        CliRun last = CliRun.withEnv(env, "", "journal", "summary", "last");
        assertTrue(last.out().contains("run new"), last.out() + last.err());
    }
}

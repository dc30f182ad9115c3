package dev.lb.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.controller.config.ConfigLoader;
import dev.lb.history.testing.TestRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lb history ... -c CONFIG}: the config's output_dir says where the runs are, as for lb run, and its
 * history.url which store; the order is --history-url, LB_HISTORY_URL, the config's history.url, history.db where the
 * runs are, each level beating the next.
 */
class HistoryConfigOptionTest {
    private static final String TARGETS = "targets: {hosts: [{name: l, connection: local}]}\n"
            + "workloads: [{name: w, argv: [\"true\"]}]\n";

    @TempDir
    Path tmp;

    Path confDir;
    /** Where a config with {@code output_dir: ../bench-runs} in {@link #confDir} puts its runs. */
    Path configRuns;

    @BeforeEach
    void runsWhereTheConfigPutsThem() throws Exception {
        confDir = Files.createDirectories(tmp.resolve("conf"));
        configRuns = tmp.resolve("bench-runs");
        for (int i = 0; i < 8; i++) {
            double v = 100 + (i % 3 - 1) * 0.8;
            TestRuns.write(configRuns, "r" + i, 1000 + i * 100, v * 0.99, v, v * 1.01);
        }
    }

    private Path config(String extra) throws Exception {
        Path c = confDir.resolve("lb.yaml");
        Files.writeString(c, "output_dir: ../bench-runs\n" + extra + TARGETS);
        return c;
    }

    private static CliRun lb(Map<String, String> env, String... args) {
        return CliRun.withEnv(env, "", args);
    }

    private static String firstLine(CliRun r) {
        return r.out().lines().findFirst().orElse("");
    }

    @Test
    void aRelativeOutputDirIsResolvedAsLbRunResolvesItFromTheConfigsDirectory() throws Exception {
        Path c = config("");
        assertEquals(configRuns, ConfigLoader.load(c).outputDir(), "what lb run reads as output_dir");
        CliRun imported = lb(Map.of(), "history", "import", "--all", "-c", c.toString());
        assertEquals(0, imported.exitCode(), imported.err());
        assertEquals("history: " + configRuns.resolve("history.db") + " (SQLite)", firstLine(imported));
        assertTrue(imported.out().contains("8 runs recorded (0 replaced)"), imported.out());
        assertTrue(Files.isRegularFile(configRuns.resolve("history.db")));

        CliRun listed = lb(Map.of(), "history", "--config", c.toString());
        assertEquals(0, listed.exitCode(), listed.err());
        assertEquals("history: " + configRuns.resolve("history.db") + " (SQLite)", firstLine(listed));
        assertTrue(listed.out().lines().anyMatch(l -> l.matches("h1 × w × bogo_ops_per_s \\(ops/s\\) \\* +8 .*")),
                listed.out());
    }

    @Test
    void everyHistoryCommandTakesTheConfigAndNamesItsStoreFirst() throws Exception {
        Path c = config("");
        String store = "history: " + configRuns.resolve("history.db") + " (SQLite)";
        List<List<String>> commands = List.of(List.of("history", "import", "--all"), List.of("history"),
                List.of("history", "show"), List.of("history", "check", "r7"),
                List.of("history", "exclude", "r3", "--reason", "noisy"), List.of("history", "include", "r3"),
                List.of("history", "baseline", "--from", "r2"),
                List.of("history", "report", "-o", tmp.resolve("h.html").toString()));
        for (List<String> command : commands) {
            List<String> args = new ArrayList<>(command);
            args.addAll(List.of("-c", c.toString()));
            CliRun r = lb(Map.of(), args.toArray(String[]::new));
            assertEquals(0, r.exitCode(), command + ": " + r.out() + r.err());
            assertEquals(store, firstLine(r), command.toString());
        }
        assertTrue(Files.isRegularFile(tmp.resolve("h.html")));
    }

    @Test
    void eachLevelBeatsTheNext() throws Exception {
        Path option = tmp.resolve("option.db");
        Path env = tmp.resolve("env.db");
        Path fromConfig = tmp.resolve("config.db");
        Path c = config("history: {url: \"" + fromConfig + "\"}\n");
        Map<String, String> withEnv = Map.of("LB_HISTORY_URL", env.toString());

        CliRun optionWins = lb(withEnv, "history", "import", "r1", "-c", c.toString(), "--history-url",
                option.toString());
        assertEquals(0, optionWins.exitCode(), optionWins.err());
        assertEquals("history: " + option + " (SQLite)", firstLine(optionWins), "--history-url over LB_HISTORY_URL");

        CliRun envWins = lb(withEnv, "history", "import", "r1", "-c", c.toString());
        assertEquals(0, envWins.exitCode(), envWins.err());
        assertEquals("history: " + env + " (SQLite)", firstLine(envWins), "LB_HISTORY_URL over the config's");

        CliRun configWins = lb(Map.of(), "history", "import", "r1", "-c", c.toString());
        assertEquals(0, configWins.exitCode(), configWins.err());
        assertEquals("history: " + fromConfig + " (SQLite)", firstLine(configWins),
                "the config's history.url over history.db where the runs are");
        assertFalse(Files.exists(configRuns.resolve("history.db")));

        CliRun runsDir = lb(Map.of(), "history", "import", "r1", "-c", config("").toString());
        assertEquals(0, runsDir.exitCode(), runsDir.err());
        assertEquals("history: " + configRuns.resolve("history.db") + " (SQLite)", firstLine(runsDir),
                "history.db where the runs are, last");
        for (Path store : List.of(option, env, fromConfig, configRuns.resolve("history.db"))) {
            assertTrue(Files.isRegularFile(store), store + " written by the command that chose it");
        }
    }

    @Test
    void theOutputDirOptionAndLbRunsDirBeatTheConfigsOutputDirAsForLbRun() throws Exception {
        Path c = config("");
        Path other = tmp.resolve("other-runs");
        TestRuns.write(other, "x1", 1000, 99, 100, 101);
        CliRun option = lb(Map.of("LB_RUNS_DIR", configRuns.toString()), "history", "import", "--all", "-c",
                c.toString(), "--output-dir", other.toString());
        assertEquals(0, option.exitCode(), option.err());
        assertEquals("history: " + other.resolve("history.db") + " (SQLite)", firstLine(option));

        Files.delete(other.resolve("history.db"));
        CliRun env = lb(Map.of("LB_RUNS_DIR", other.toString()), "history", "import", "x1", "-c", c.toString());
        assertEquals(0, env.exitCode(), env.err());
        assertEquals("history: " + other.resolve("history.db") + " (SQLite)", firstLine(env));
        assertFalse(Files.exists(configRuns.resolve("history.db")));
    }

    @Test
    void checkTakesTheConfigsMinimumChangeAndMinChangeBeatsIt() throws Exception {
        // 4 % below eight quiet runs: outside their prediction interval, under the default 5 %, over a config's 3 %.
        TestRuns.write(configRuns, "slower", 5000, 95.04, 96, 96.96);
        assertEquals(0, lb(Map.of(), "history", "import", "--all", "-c", config("").toString()).exitCode());
        assertEquals(0, lb(Map.of(), "history", "check", "slower", "-c", config("").toString()).exitCode());
        Path strict = config("regression: {min_change_pct: 3}\n");
        CliRun byConfig = lb(Map.of(), "history", "check", "slower", "-c", strict.toString());
        assertEquals(4, byConfig.exitCode(), byConfig.out() + byConfig.err());
        assertEquals(0, lb(Map.of(), "history", "check", "slower", "-c", strict.toString(), "--min-change", "5")
                .exitCode());
        // A per-metric rule beats the block's default for the metrics its regex matches whole.
        Path perMetric = config("regression:\n  min_change_pct: 3\n  metrics: [{match: 'bogo_.*', min_change_pct: 10}]\n");
        CliRun byRule = lb(Map.of(), "history", "check", "slower", "-c", perMetric.toString(), "--output", "json");
        assertEquals(0, byRule.exitCode(), byRule.out() + byRule.err());
        assertTrue(byRule.out().contains("\"min_change_percent\" : 10.0"), byRule.out());
    }

    @Test
    void aConfigWithProblemsGivesThemWithTheirLinesAndExitsTwo() throws Exception {
        Path c = confDir.resolve("bad.yaml");
        Files.writeString(c, "output_dir: ../bench-runs\nhistory: {uri: x}\n" + TARGETS);
        CliRun r = lb(Map.of(), "history", "show", "-c", c.toString());
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertEquals("", r.out(), "no store was chosen, none read");
        assertEquals("lb: " + c + ": 1 problem(s):\n  history.uri (line 2): unknown key; did you mean 'url'? expected"
                + " one of [url]\n", r.err());
        assertEquals(2, lb(Map.of(), "history", "-c", tmp.resolve("none.yaml").toString()).exitCode());
    }
}

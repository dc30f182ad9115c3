package dev.lb.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.history.testing.HistoryStores;
import dev.lb.history.testing.HistoryStores.Kind;
import dev.lb.history.testing.HistoryStores.Stores;
import dev.lb.history.testing.TestRuns;
import dev.lb.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The lb history commands as a user runs them, on history.db where the runs are and on PostgreSQL. */
@ExtendWith(HistoryStores.class)
class HistoryCommandTest {
    private static final double[] QUIET = {100.2, 99.1, 100.8, 99.6, 100.4, 98.9, 100.1, 101.0};

    @TempDir
    Path runs;

    /** The arguments that choose the store: none for SQLite (history.db under the runs), --history-url else. */
    private List<String> storeArgs(Kind kind, Stores stores) throws Exception {
        List<String> a = new ArrayList<>(List.of("--output-dir", runs.toString()));
        if (kind == Kind.POSTGRESQL) {
            a.addAll(List.of("--history-url", stores.fresh(kind).jdbcUrl()));
        }
        return a;
    }

    private static CliRun lb(List<String> storeArgs, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(storeArgs);
        return CliRun.run(all.toArray(String[]::new));
    }

    private void quietRuns() throws Exception {
        for (int i = 0; i < QUIET.length; i++) {
            TestRuns.write(runs, "r" + i, 1000 + i * 100, QUIET[i] * 0.99, QUIET[i], QUIET[i] * 1.01);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void importAllIsIdempotentAndShowGivesEachRunsResultsJsonValues(Kind kind, Stores stores) throws Exception {
        List<String> at = storeArgs(kind, stores);
        quietRuns();
        CliRun first = lb(at, "history", "import", "--all", "--label", "branch=main");
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.out().startsWith("history: "), first.out());
        assertTrue(first.out().contains("8 runs recorded (0 replaced), 0 skipped, 0 failed"), first.out());
        CliRun again = lb(at, "history", "import", "--all");
        assertTrue(again.out().contains("8 runs recorded (8 replaced), 0 skipped, 0 failed"), again.out());

        CliRun show = lb(at, "history", "show", "--output", "json", "--label", "branch=main");
        assertEquals(0, show.exitCode(), show.err());
        assertTrue(show.err().startsWith("history: "), show.err());
        JsonNode series = Json.MAPPER.readTree(show.out()).path("series");
        assertEquals(1, series.size());
        JsonNode shown = series.get(0).path("runs");
        assertEquals(8, shown.size());
        for (int i = 0; i < 8; i++) {
            JsonNode results = Json.MAPPER.readTree(runs.resolve("r" + i).resolve("results.json").toFile())
                    .path("results").get(0);
            assertEquals("r" + i, shown.get(i).path("run_id").asText());
            assertEquals(results.path("mean").asDouble(), shown.get(i).path("mean").asDouble());
            assertEquals(results.path("stdev").asDouble(), shown.get(i).path("stdev").asDouble());
            assertEquals(results.path("values").get(2).path("value").asDouble(),
                    shown.get(i).path("values").get(2).asDouble());
            assertEquals("main", shown.get(i).path("labels").path("branch").asText());
        }

        CliRun list = lb(at, "history");
        assertEquals(0, list.exitCode(), list.err());
        String[] lines = list.out().split("\n");
        assertTrue(lines[0].startsWith("history: "), list.out());
        assertTrue(lines[1].startsWith("SERIES"), list.out());
        assertTrue(lines[2].startsWith("h1 × w × bogo_ops_per_s (ops/s) *  8"), list.out());
        assertTrue(lines[2].endsWith("none"), "no change point in quiet runs: " + lines[2]);

        CliRun csv = lb(at, "history", "show", "--output", "csv", "--host", "h1", "--since", "1970-01-01");
        assertEquals(9, csv.out().split("\n").length, csv.out());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void checkExitsFourOnARegressionZeroOtherwiseAndThreeWithoutEnoughRequiredHistory(Kind kind, Stores stores)
            throws Exception {
        List<String> at = storeArgs(kind, stores);
        TestRuns.write(runs, "early0", 10, 100, 101, 99);
        TestRuns.write(runs, "early1", 20, 100, 101, 99);
        lb(at, "history", "import", "early0", "early1");
        CliRun few = lb(at, "history", "check", "early1", "--require-history");
        assertEquals(3, few.exitCode(), few.out() + few.err());
        assertEquals(0, lb(at, "history", "check", "early1").exitCode());

        quietRuns();
        TestRuns.write(runs, "slow", 5000, 88, 89, 90);
        TestRuns.write(runs, "usual", 5100, 99, 100, 101);
        assertEquals(0, lb(at, "history", "import", "--all").exitCode());
        CliRun slow = lb(at, "history", "check", "slow");
        assertEquals(4, slow.exitCode(), slow.out() + slow.err());
        assertTrue(slow.out().contains("regression"), slow.out());
        assertTrue(slow.out().strip().endsWith("slow: regression"), slow.out());
        CliRun usual = lb(at, "history", "check", runs.resolve("usual").toString(), "--output", "json");
        assertEquals(0, usual.exitCode(), usual.out() + usual.err());
        assertEquals("within", Json.MAPPER.readTree(usual.out()).path("series").get(0).path("verdict").asText());

        assertEquals(0, lb(at, "history", "exclude", "slow", "--reason", "a noisy neighbour").exitCode());
        CliRun shown = lb(at, "history", "show");
        assertTrue(shown.out().contains("excluded: a noisy neighbour"), shown.out());
        assertEquals(0, lb(at, "history", "include", "slow").exitCode());
        assertEquals(0, lb(at, "history", "baseline", "--from", "slow").exitCode());
        assertEquals(0, lb(at, "history", "check", "usual", "--min-change", "50").exitCode());

        CliRun missing = lb(at, "history", "check", "nope");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().startsWith("lb: run nope is not in the history"), missing.err());
    }

    @Test
    void readingAHistoryThatIsNotThereIsExitOneAndCreatesNothing() {
        CliRun r = CliRun.run("history", "--output-dir", runs.toString());
        assertEquals(1, r.exitCode());
        assertEquals("history: " + runs.resolve("history.db") + " (SQLite)\n", r.out());
        assertEquals("lb: no history store at " + runs.resolve("history.db") + " (nothing recorded there yet; lb "
                + "history import --all records the runs)\n", r.err());
        assertFalse(Files.exists(runs.resolve("history.db")));
    }

    @Test
    void aCorruptStoreIsOneLineWithoutAStackTraceAndIsLeftAsItIs() throws Exception {
        Files.writeString(runs.resolve("history.db"), "not a database");
        CliRun r = CliRun.run("history", "show", "--output-dir", runs.toString());
        assertEquals(1, r.exitCode());
        assertEquals("lb: " + runs.resolve("history.db") + " is not an SQLite database, so not a history store "
                + "(left as it is)\n", r.err());
        assertEquals("not a database", Files.readString(runs.resolve("history.db")));
    }

    @Test
    void theEnvironmentChoosesTheStoreWhenTheOptionDoesNot() throws Exception {
        Path elsewhere = runs.resolve("elsewhere.db");
        quietRuns();
        CliRun r = CliRun.withEnv(Map.of("LB_HISTORY_URL", elsewhere.toString()), "", "history", "import", "r1",
                "--output-dir", runs.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("history: " + elsewhere + " (SQLite)"), r.out());
        assertTrue(Files.exists(elsewhere));
        assertFalse(Files.exists(runs.resolve("history.db")));
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, CliRun.run("history", "--output", "xml", "--output-dir", runs.toString()).exitCode());
        assertEquals(2, CliRun.run("history", "show", "--since", "yesterday", "--output-dir", runs.toString())
                .exitCode());
        assertEquals(2, CliRun.run("history", "check", "r1", "--last", "2", "--output-dir", runs.toString())
                .exitCode());
        assertEquals(2, CliRun.run("history", "import", "--output-dir", runs.toString()).exitCode());
        assertEquals(2, CliRun.run("history", "import", "--all", "--label", "nolabel", "--output-dir",
                runs.toString()).exitCode());
    }
}

package dev.lb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every config in examples/ runs as the README tells a user to run it: {@code ./lb run -c examples/X.yaml} on this
 * machine (each example's one target is {@code connection: local}), ends done with its results table, and records
 * results for every workload over every configured repetition. k6 is not installed on the test machines: the k6
 * example runs against the fake k6 of the agent's tests, with its script path and k6_binary rewritten in the copy.
 */
class ExamplesEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXAMPLES = LbProcess.ROOT.resolve("examples");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"benchmark.yaml", "stress-ng.yaml", "fio.yaml", "sysbench.yaml", "timed-command.yaml"})
    void exampleRunsDoneWithResultsForEveryWorkload(String example) throws Exception {
        Path copy = tmp.resolve(example);
        Files.copy(EXAMPLES.resolve(example), copy);
        runAndCheck(copy);
    }

    @Test
    void k6ExampleRunsWithAFakeK6() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin")).resolve("k6");
        Files.copy(LbProcess.ROOT.resolve("runner-agent/src/test/resources/fake-k6"), bin,
                StandardCopyOption.REPLACE_EXISTING);
        assertTrue(bin.toFile().setExecutable(true));
        Path script = tmp.resolve("smoke.js");
        Files.copy(EXAMPLES.resolve("k6/smoke.js"), script);
        String yaml = Files.readString(EXAMPLES.resolve("k6.yaml"));
        String rewritten = yaml.replaceFirst("(?m)^(\\s*script:) .*$", "$1 " + script)
                .replaceFirst("(?m)^(\\s*k6_binary:) k6(\\s.*)?$", "$1 " + bin);
        assertTrue(rewritten.contains("script: " + script) && rewritten.contains("k6_binary: " + bin), rewritten);
        Path copy = tmp.resolve("k6.yaml");
        Files.writeString(copy, rewritten);
        runAndCheck(copy);
    }

    private void runAndCheck(Path config) throws Exception {
        Path runs = tmp.resolve("runs");
        // Every local target of every run on this machine is one target (one user's target_root), held by one run at
        // a time: another run here (another test, another session) makes this one wait instead of fail.
        LbProcess r = LbProcess.runIn(tmp, Map.of(), null, "run", "-c", config.toString(), "--output", "plain",
                "--output-dir", runs.toString(), "--wait-for-targets", "200");
        assertEquals(0, r.exitCode(), config.getFileName() + ":\n" + r.out() + r.err());
        assertTrue(r.out().matches("(?s).*\nrun [^ ]+: done \\(exit 0\\).*"), r.out());
        String table = r.out().substring(r.out().lastIndexOf("results of run"));
        Path run = RunFiles.onlyRunDir(runs);

        Map<String, Integer> repetitions = workloadsAndRepetitions(config);
        assertFalse(repetitions.isEmpty(), config.toString());
        JsonNode results = JSON.readTree(run.resolve("results.json").toFile());
        for (Map.Entry<String, Integer> w : repetitions.entrySet()) {
            assertTrue(table.contains("workload " + w.getKey()), "the run ends with its results table: " + table);
            List<JsonNode> rows = new java.util.ArrayList<>();
            results.path("results").forEach(row -> {
                if (row.path("workload").asText().equals(w.getKey())) {
                    rows.add(row);
                }
            });
            assertFalse(rows.isEmpty(), config.getFileName() + ": no result row for workload " + w.getKey() + ": "
                    + results.path("results") + "\nunparsed: " + results.path("unparsed"));
            for (JsonNode row : rows) {
                assertEquals(w.getValue().intValue(), row.path("n").asInt(),
                        config.getFileName() + ": " + w.getKey() + " " + row.path("metric").asText() + ": " + row);
            }
        }
        assertEquals(0, results.path("unparsed").size(), results.path("unparsed").toString());
    }

    /** The workloads a config names, each with the config's repetitions (the examples set them at the top level). */
    private static Map<String, Integer> workloadsAndRepetitions(Path config) throws Exception {
        String yaml = Files.readString(config);
        Matcher reps = Pattern.compile("(?m)^repetitions: (\\d+)").matcher(yaml);
        assertTrue(reps.find(), config + " sets repetitions at the top level");
        int n = Integer.parseInt(reps.group(1));
        Map<String, Integer> out = new HashMap<>();
        Matcher names = Pattern.compile("(?m)^  - name: ([A-Za-z0-9._-]+)").matcher(yaml.substring(yaml.indexOf("\nworkloads:")));
        while (names.find()) {
            out.put(names.group(1), n);
        }
        return out;
    }
}

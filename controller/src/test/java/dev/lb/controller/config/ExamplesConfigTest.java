package dev.lb.controller.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every config in examples/ loads: a broken example fails here, in seconds, before the end-to-end test runs it. */
class ExamplesConfigTest {
    private static final Path EXAMPLES =
            Path.of(System.getProperty("lb.testdata", "../testdata")).resolve("../examples").toAbsolutePath().normalize();

    private static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void everyExampleConfigLoads() throws IOException {
        List<Path> all = examples();
        Set<String> names = all.stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("benchmark.yaml", "stress-ng.yaml", "fio.yaml", "sysbench.yaml", "k6.yaml",
                "timed-command.yaml")), "the examples the README names are there: " + names);
        for (Path example : all) {
            try {
                RunConfig c = ConfigLoader.load(example);
                assertFalse(c.workloads().isEmpty(), example.toString());
                assertFalse(c.targets().hosts().isEmpty(), example + ": runs on the hosts it lists");
            } catch (ConfigException e) {
                fail(example.getFileName() + " does not load: " + e.problems());
            }
        }
    }

    @Test
    void eachToolExampleUsesItsTool() throws Exception {
        for (String tool : List.of("stress-ng", "fio", "sysbench", "k6")) {
            RunConfig c = ConfigLoader.load(EXAMPLES.resolve(tool + ".yaml"));
            assertEquals(tool, c.workloads().get(0).type(), tool + ".yaml");
            assertEquals("local", c.targets().hosts().get(0).connection(), tool + ".yaml");
        }
        RunConfig timed = ConfigLoader.load(EXAMPLES.resolve("timed-command.yaml"));
        assertEquals("command", timed.workloads().get(0).type());
        assertTrue(timed.workloads().get(0).resultsJson().contains("compressed_bytes"), timed.workloads().get(0).toString());
    }
}

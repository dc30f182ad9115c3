package dev.lb.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The captured tool outputs under testdata/results, and checks that read them independently. */
final class Fixtures {
    /** testdata/results, shared with the controller's tests of {@code lb results parse}. */
    static final Path DIR = Path.of(System.getProperty("lb.testdata", "../testdata"), "results");

    private Fixtures() {
    }

    static Path path(String name) {
        Path p = DIR.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no fixture " + p);
        }
        return p;
    }

    /**
     * Asserts the fixture's raw text holds {@code snippet}, so an expected number written in a test is provably the
     * one the tool printed.
     */
    static void printed(String fixture, String snippet) {
        try {
            String text = Files.readString(path(fixture));
            assertTrue(text.contains(snippet), fixture + " does not contain: " + snippet);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Metric metric(ParsedResult r, String name) {
        return r.metrics().stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseGet(() -> fail("no metric " + name + " in " + names(r)));
    }

    static void assertMetric(ParsedResult r, String name, double expected, Unit unit) {
        Metric m = metric(r, name);
        assertEquals(expected, m.value(), Math.abs(expected) * 1e-12, name);
        assertEquals(unit, m.unit(), name + " unit");
    }

    static List<String> names(ParsedResult r) {
        return r.metrics().stream().map(Metric::name).toList();
    }
}

package dev.lb.results;

import static dev.lb.results.Fixtures.assertMetric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeclaredResultsTest {
    private static final DeclaredMetric RPS =
            new DeclaredMetric("rps", Unit.OPS_PER_S, "^Requests/sec:\\s+(\\S+)$", null, null);

    @Test
    void regexTakesGroupOneOfTheLastMatch(@TempDir Path dir) throws Exception {
        Path stdout = dir.resolve("stdout");
        Files.writeString(stdout, "warming up\nRequests/sec: 10.5\nmeasuring\nRequests/sec: 1234.25\ndone\n");
        ParsedResult r = new DeclaredResults(List.of(RPS), dir).extract(stdout);
        assertEquals("declared", r.parser());
        assertEquals(List.of(new Metric("rps", 1234.25, Unit.OPS_PER_S)), r.metrics());
    }

    @Test
    void pointerReadsARelativeJsonFileFromTheWorkingDirectory(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("out.json"), "{\"latency\": {\"p99\": 4.75, \"p50\": \"1.5\"}, \"a/b\": [7]}");
        ParsedResult r = new DeclaredResults(List.of(
                new DeclaredMetric("p99", Unit.MS, null, "out.json", "/latency/p99"),
                new DeclaredMetric("p50", Unit.MS, null, "out.json", "/latency/p50"),
                new DeclaredMetric("escaped", Unit.COUNT, null, "out.json", "/a~1b/0")), dir)
                .extract(dir.resolve("no-stdout-needed"));
        assertMetric(r, "p99", 4.75, Unit.MS);
        assertMetric(r, "p50", 1.5, Unit.MS);
        assertMetric(r, "escaped", 7, Unit.COUNT);
    }

    @Test
    void aRegexThatMatchesNothingNamesTheMetric(@TempDir Path dir) throws IOException {
        Path stdout = dir.resolve("stdout");
        Files.writeString(stdout, "no numbers here\n");
        ResultParseException e = assertThrows(ResultParseException.class,
                () -> new DeclaredResults(List.of(RPS), dir).extract(stdout));
        assertEquals(stdout + ": declared metric 'rps': regex ^Requests/sec:\\s+(\\S+)$ matched nothing (or its"
                + " group 1 took no part)", e.getMessage());
    }

    @Test
    void aMatchThatIsNotANumberNamesTheMetricAndTheText(@TempDir Path dir) throws IOException {
        Path stdout = dir.resolve("stdout");
        Files.writeString(stdout, "Requests/sec: 12k\n");
        ResultParseException e = assertThrows(ResultParseException.class,
                () -> new DeclaredResults(List.of(RPS), dir).extract(stdout));
        assertEquals(stdout + ": declared metric 'rps': matched '12k', not a number", e.getMessage());
    }

    @Test
    void aPointerToNothingOrToANonNumberNamesTheMetric(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out.json");
        Files.writeString(out, "{\"latency\": {\"p99\": [1, 2]}}");
        ResultParseException missing = assertThrows(ResultParseException.class, () -> new DeclaredResults(
                List.of(new DeclaredMetric("p50", Unit.MS, null, "out.json", "/latency/p50")), dir).extract(out));
        assertEquals(out + ": declared metric 'p50' (pointer /latency/p50): nothing at that pointer",
                missing.getMessage());
        ResultParseException array = assertThrows(ResultParseException.class, () -> new DeclaredResults(
                List.of(new DeclaredMetric("p99", Unit.MS, null, "out.json", "/latency/p99")), dir).extract(out));
        assertEquals(out + ": declared metric 'p99' (pointer /latency/p99) is not a number: [1,2]",
                array.getMessage());
    }

    @Test
    void aMissingOrBrokenJsonFileIsNamed(@TempDir Path dir) throws IOException {
        DeclaredMetric p99 = new DeclaredMetric("p99", Unit.MS, null, "out.json", "/p99");
        ResultParseException missing = assertThrows(ResultParseException.class,
                () -> new DeclaredResults(List.of(p99), dir).extract(dir.resolve("stdout")));
        assertEquals(dir.resolve("out.json") + ": no such file", missing.getMessage());
        Files.writeString(dir.resolve("out.json"), "{\"p99\": 4.5, ");
        ResultParseException broken = assertThrows(ResultParseException.class,
                () -> new DeclaredResults(List.of(p99), dir).extract(dir.resolve("stdout")));
        assertEquals(dir.resolve("out.json") + ": JSON ends early at line 1, column 14 (truncated?)",
                broken.getMessage());
    }

    @Test
    void stdoutLongerThanTheLimitIsReadFromItsTailAndMayHoldAnyBytes(@TempDir Path dir) throws Exception {
        Path stdout = dir.resolve("stdout");
        try (OutputStream out = Files.newOutputStream(stdout)) {
            out.write("Requests/sec: 1.5\n".getBytes(StandardCharsets.UTF_8));
            byte[] noise = new byte[4096];
            Arrays.fill(noise, (byte) 'x');
            out.write(noise);
            out.write("\nRequests/sec: 7.5".getBytes(StandardCharsets.UTF_8));
            out.write(new byte[] {(byte) 0xff, (byte) 0xfe, '\n'});
            out.write("Requests/sec: 99.5\nthe end\n".getBytes(StandardCharsets.UTF_8));
        }
        long limit = 64;
        assertTrue(Files.size(stdout) > limit);
        ParsedResult r = new DeclaredResults(List.of(RPS), dir, limit).extract(stdout);
        assertEquals(List.of(new Metric("rps", 99.5, Unit.OPS_PER_S)), r.metrics());
    }

    @Test
    void aNameDeclaredTwiceIsRefused(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DeclaredResults(List.of(RPS, RPS), dir));
        assertEquals("declared results name metric 'rps' twice", e.getMessage());
    }
}

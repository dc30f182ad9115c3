package dev.lb.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeclaredMetricTest {
    @Test
    void readsRegexAndPointerDeclarationsFromOneJsonArray() {
        List<DeclaredMetric> d = DeclaredMetric.listFromJson("[{\"name\":\"rps\",\"unit\":\"ops/s\","
                + "\"regex\":\"Requests/sec:\\\\s+([0-9.]+)\"},{\"name\":\"p99\",\"unit\":\"ms\",\"file\":\"out.json\","
                + "\"pointer\":\"/latency/p99\"}]");
        assertEquals(List.of(new DeclaredMetric("rps", Unit.OPS_PER_S, "Requests/sec:\\s+([0-9.]+)", null, null),
                new DeclaredMetric("p99", Unit.MS, null, "out.json", "/latency/p99")), d);
    }

    @Test
    void writesTheJsonItReads() {
        List<DeclaredMetric> d = List.of(new DeclaredMetric("rps", Unit.OPS_PER_S, "rps=(\\d+)", null, null),
                new DeclaredMetric("p99", Unit.MS, null, "out.json", "/latency/p99"));
        String json = DeclaredMetric.listToJson(d);
        assertEquals("[{\"name\":\"rps\",\"unit\":\"ops/s\",\"regex\":\"rps=(\\\\d+)\"},"
                + "{\"name\":\"p99\",\"unit\":\"ms\",\"file\":\"out.json\",\"pointer\":\"/latency/p99\"}]", json);
        assertEquals(d, DeclaredMetric.listFromJson(json));
    }

    @Test
    void needsExactlyOneSource() {
        assertEquals("declared metric 'x' needs either regex, or file and pointer (not both)", assertThrows(
                IllegalArgumentException.class, () -> new DeclaredMetric("x", Unit.S, "(1)", "f.json", "/a"))
                .getMessage());
        assertEquals("declared metric 'x' needs either regex, or file and pointer (not both)", assertThrows(
                IllegalArgumentException.class, () -> new DeclaredMetric("x", Unit.S, null, null, null)).getMessage());
        assertEquals("declared metric 'x' needs both file and pointer", assertThrows(
                IllegalArgumentException.class, () -> new DeclaredMetric("x", Unit.S, null, "f.json", null))
                .getMessage());
    }

    @Test
    void regexMustCompileAndCapture() {
        assertEquals("declared metric 'x': regex does not compile: Unclosed group near index 5", assertThrows(
                IllegalArgumentException.class, () -> new DeclaredMetric("x", Unit.S, "t=(\\d", null, null))
                .getMessage());
        assertEquals("declared metric 'x': regex has no capture group (the value is group 1)", assertThrows(
                IllegalArgumentException.class, () -> new DeclaredMetric("x", Unit.S, "t=\\d+", null, null))
                .getMessage());
    }

    @Test
    void pointerIsRfc6901() {
        assertEquals("declared metric 'x': pointer must be empty or start with '/': a.b", assertThrows(
                IllegalArgumentException.class, () -> new DeclaredMetric("x", Unit.S, null, "f.json", "a.b"))
                .getMessage());
    }

    @Test
    void jsonErrorsNameTheEntryAndTheFault() {
        assertEquals("declared results[0]: unknown unit 'MB' (one of count ops events ops/s events/s ns us ms s B KiB"
                + " MiB GiB B/s KiB/s MiB/s GiB/s % MHz)", assertThrows(IllegalArgumentException.class,
                () -> DeclaredMetric.listFromJson("[{\"name\":\"x\",\"unit\":\"MB\",\"regex\":\"(1)\"}]"))
                .getMessage());
        assertEquals("declared results[1]: unknown key 'regexp' (known: name, unit, regex, file, pointer)",
                assertThrows(IllegalArgumentException.class, () -> DeclaredMetric.listFromJson(
                        "[{\"name\":\"x\",\"unit\":\"s\",\"regex\":\"(1)\"},{\"name\":\"y\",\"regexp\":\"(1)\"}]"))
                        .getMessage());
        assertEquals("declared metric 'x' needs a unit (one of count ops events ops/s events/s ns us ms s B KiB MiB"
                + " GiB B/s KiB/s MiB/s GiB/s % MHz)", assertThrows(IllegalArgumentException.class,
                () -> DeclaredMetric.listFromJson("[{\"name\":\"x\",\"regex\":\"(1)\"}]")).getMessage());
        assertEquals("declared results must be a JSON array of objects", assertThrows(IllegalArgumentException.class,
                () -> DeclaredMetric.listFromJson("{\"name\":\"x\"}")).getMessage());
        assertEquals("declared results name metric 'x' twice", assertThrows(IllegalArgumentException.class,
                () -> DeclaredMetric.listFromJson("[{\"name\":\"x\",\"unit\":\"s\",\"regex\":\"(1)\"},"
                        + "{\"name\":\"x\",\"unit\":\"s\",\"regex\":\"(2)\"}]")).getMessage());
    }
}

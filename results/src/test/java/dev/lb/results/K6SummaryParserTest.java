package dev.lb.results;

import static dev.lb.results.Fixtures.assertMetric;
import static dev.lb.results.Fixtures.names;
import static dev.lb.results.Fixtures.printed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class K6SummaryParserTest {
    private final K6SummaryParser parser = new K6SummaryParser();

    @Test
    void legacyExportGivesLatencyRequestsFailuresIterationsChecksAndVus() throws Exception {
        String f = "k6-legacy-summary-export.json";
        ParsedResult r = parser.parse(Fixtures.path(f));
        assertEquals("k6", r.parser());
        assertEquals(List.of("http_req_duration.avg", "http_req_duration.med", "http_req_duration.p90",
                "http_req_duration.p95", "http_req_duration.max", "http_reqs.count", "http_reqs.rate",
                "http_req_failed.rate", "iterations.count", "iterations.rate", "checks.rate", "vus_max"), names(r));
        printed(f, "\"avg\": 21.746152747058822,");
        printed(f, "\"p(90)\": 38.1202211,");
        printed(f, "\"p(95)\": 52.08376114999999,");
        printed(f, "\"count\": 1190,\n            \"rate\": 39.6160924530047");
        printed(f, "\"value\": 0.0025210084033613447");
        assertMetric(r, "http_req_duration.avg", 21.746152747058822, Unit.MS);
        assertMetric(r, "http_req_duration.p90", 38.1202211, Unit.MS);
        assertMetric(r, "http_req_duration.p95", 52.08376114999999, Unit.MS);
        assertMetric(r, "http_reqs.count", 1190, Unit.OPS);
        assertMetric(r, "http_reqs.rate", 39.6160924530047, Unit.OPS_PER_S);
        assertMetric(r, "http_req_failed.rate", 0.25210084033613447, Unit.PERCENT);
        assertMetric(r, "vus_max", 40, Unit.COUNT);
    }

    @Test
    void theTaggedSubMetricDoesNotReplaceTheWholeOne() throws Exception {
        printed("k6-legacy-summary-export.json", "\"med\": 17.329115,");
        printed("k6-legacy-summary-export.json", "\"med\": 17.3349865,");
        assertMetric(parser.parse(Fixtures.path("k6-legacy-summary-export.json")), "http_req_duration.med",
                17.3349865, Unit.MS);
    }

    @Test
    void theAgentsFakeK6SummaryIsReadAlike() throws Exception {
        String f = "k6-fake-k6-summary.json";
        printed(f, "\"http_reqs\": {\"count\": 5, \"rate\": 98.5}");
        printed(f, "\"p(95)\": 25.3");
        ParsedResult r = parser.parse(Fixtures.path(f));
        assertMetric(r, "http_reqs.count", 5, Unit.OPS);
        assertMetric(r, "http_req_duration.p95", 25.3, Unit.MS);
        assertMetric(r, "http_req_failed.rate", 40, Unit.PERCENT);
    }

    @Test
    void handleSummaryShapeWithValuesIsReadToo(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("summary.json");
        Files.writeString(f, "{\"metrics\": {\"http_req_failed\": {\"type\": \"rate\", \"values\": {\"rate\": 0.02,"
                + " \"passes\": 2, \"fails\": 98}}, \"http_reqs\": {\"type\": \"counter\", \"values\": {\"count\": 100,"
                + " \"rate\": 9.5}}, \"vus_max\": {\"type\": \"gauge\", \"values\": {\"value\": 4, \"min\": 4,"
                + " \"max\": 4}}}}");
        ParsedResult r = parser.parse(f);
        assertEquals(List.of("http_reqs.count", "http_reqs.rate", "http_req_failed.rate", "vus_max"), names(r));
        assertMetric(r, "http_req_failed.rate", 2, Unit.PERCENT);
        assertMetric(r, "vus_max", 4, Unit.COUNT);
    }

    @Test
    void truncatedExportSaysWhereItEnds() {
        Path f = Fixtures.path("k6-legacy-summary-export.truncated.json");
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser.parse(f));
        assertTrue(e.getMessage().startsWith(f + ": JSON ends early at line "), e.getMessage());
    }

    @Test
    void jsonThatIsNotAK6ExportIsRefused() {
        Path f = Fixtures.path("fio-3.33-one-read.json");
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser.parse(f));
        assertEquals(f + ": no 'metrics' object (not a k6 --summary-export file?)", e.getMessage());
    }

    @Test
    void metricsWithNoneOfTheKnownOnesIsRefused(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("custom.json");
        Files.writeString(f, "{\"metrics\": {\"my_counter\": {\"count\": 3, \"rate\": 1.5}}}");
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser.parse(f));
        assertEquals(f + ": none of k6's http_req_duration, http_reqs, http_req_failed, iterations, checks, vus_max"
                + " in 'metrics'", e.getMessage());
    }

    @Test
    void aValueThatIsNotANumberIsNamed(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"metrics\": {\"http_reqs\": {\"count\": \"many\", \"rate\": 1.5}}}");
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser.parse(f));
        assertEquals(f + ": metrics.http_reqs.count is not a number: \"many\"", e.getMessage());
    }
}

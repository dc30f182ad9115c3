package dev.lb.controller.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.controller.state.SummaryFile;
import dev.lb.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportDataTest {
    @TempDir
    Path dir;

    private ObjectNode assemble(String results) throws Exception {
        Path journal = dir.resolve("journal.jsonl");
        Files.write(journal, ReportFixture.journal("r1"));
        return ReportData.assemble("r1", Json.MAPPER.readTree(results), ReportFixture.summary("r1"),
                MetricSeries.read(journal), null, null, null, Instant.parse("2026-12-01T04:00:00Z"), "test");
    }

    @Test
    void eachResultMetricIsOneChartWithOneSeriesPerHostOverTheRepetitionsAnyHostHas() throws Exception {
        JsonNode charts = assemble(ReportFixture.RESULTS).get("result_charts");
        assertEquals(2, charts.size());
        assertEquals("{\"workload\":\"cpu\",\"metric\":\"cpu.bogo_ops_per_s_real\",\"unit\":\"ops/s\",\"x\":[1,2,3],"
                + "\"series\":[{\"host\":\"web-1\",\"values\":[1222.1,1230.25,1251.3]},"
                + "{\"host\":\"web-2\",\"values\":[980.2,1001.0,1340.0]}]}", charts.get(0).toString());
        assertEquals("{\"workload\":\"disk\",\"metric\":\"fio.read_lat_mean\",\"unit\":\"ms\",\"x\":[2],"
                + "\"series\":[{\"host\":\"web-1\",\"values\":[4.56789]}]}", charts.get(1).toString());
    }

    @Test
    void aHostMissingARepetitionHasAGapThere() throws Exception {
        String results = """
                {"run_id":"r1","results":[
                 {"host":"a","workload":"w","metric":"m","unit":"s","values":[{"repetition":1,"value":1},{"repetition":3,"value":3}]},
                 {"host":"b","workload":"w","metric":"m","unit":"s","values":[{"repetition":2,"value":2}]}]}""";
        JsonNode chart = assemble(results).get("result_charts").get(0);
        assertEquals("[1,2,3]", chart.get("x").toString());
        assertEquals("[1,null,3]", chart.get("series").get(0).get("values").toString());
        assertEquals("[null,2,null]", chart.get("series").get(1).get("values").toString());
    }

    @Test
    void systemMetricsAreOneChartPerHostAndUnit() throws Exception {
        JsonNode web1 = assemble(ReportFixture.RESULTS).get("system").get("hosts").get(0);
        assertEquals("web-1", web1.get("host").asText());
        assertEquals("[\"CPU (%)\",\"Memory\",\"Load\",\"Disk and network\"]",
                Json.MAPPER.valueToTree(web1.get("charts").findValuesAsText("title")).toString());
        JsonNode cpu = web1.get("charts").get(0);
        assertEquals("[1.76456E9,1.764560001E9,1.764560002E9,1.764560003E9,1.764560004E9]", cpu.get("x").toString());
        assertEquals("[\"cpu_user\",\"cpu_system\",\"cpu_iowait\"]",
                Json.MAPPER.valueToTree(cpu.get("series").findValuesAsText("name")).toString());
        assertEquals("[5.0,6.0,7.0,8.0,9.0]", cpu.get("series").get(1).get("values").toString());
    }

    @Test
    void theSummaryIsSummaryJsonAsTheFileHasIt() throws Exception {
        Path file = dir.resolve("summary.json");
        SummaryFile.write(file, ReportFixture.summary("r1"));
        JsonNode s = assemble(ReportFixture.RESULTS).get("summary");
        assertEquals(SummaryFile.tree(SummaryFile.read(file)), s, "one form: the page reads the file's own keys");
        assertEquals(Json.MAPPER.readTree(file.toFile()).fieldNames().next(), s.fieldNames().next());
        assertEquals("{\"1\":\"failed\",\"2\":\"done\",\"3\":\"done\"}", s.get("state").get(1).get("repetitions").toString());
        assertEquals("lost", s.get("completeness").get("verdict").asText());
    }

    @Test
    void eachHostsRepetitionsAreSpansInTimeForMarkingTheSystemCharts() throws Exception {
        JsonNode web2 = assemble(ReportFixture.RESULTS).get("system").get("hosts").get(1);
        assertEquals("web-2", web2.get("host").asText());
        // web-2's metric events of cpu repetition 1 run from T0 to T0 + 4 (written out of order).
        assertEquals("[{\"workload\":\"cpu\",\"repetition\":1,\"start\":1.76456E9,\"end\":1.764560004E9}]",
                web2.get("repetitions").toString());
    }

    @Test
    void theHeadlineIsEachWorkloadsPrimaryMetricWithItsIntervalAndWhatMakesItLessSure() throws Exception {
        String results = """
                {"run_id":"r1","results":[
                 {"host":"a","workload":"w","metric":"ops","unit":"ops/s","primary":true,"n":3,"mean":100,"stdev":10,
                  "cv":0.1,"values":[{"repetition":1,"value":90},{"repetition":2,"value":100},{"repetition":3,"value":110}],
                  "outliers":[{"repetition":3,"value":110,"rule":"mad"}]},
                 {"host":"a","workload":"w","metric":"wall_time","unit":"s","primary":false,"n":1,"mean":2,
                  "values":[{"repetition":1,"value":2}],"outliers":[]},
                 {"host":"b","workload":"old","metric":"m","unit":"s","n":1,"mean":5,
                  "values":[{"repetition":1,"value":5}],"outliers":[]}]}""";
        Path journal = dir.resolve("journal.jsonl");
        Files.write(journal, ReportFixture.journal("r1"));
        JsonNode headline = ReportData.assemble("r1", Json.MAPPER.readTree(results), ReportFixture.summary("r1",
                        java.util.List.of("a w rep 2: other processes used up to 40 % of a core")),
                MetricSeries.read(journal), null, null, null, Instant.EPOCH, "test").get("headline");
        assertEquals(2, headline.size(), "w's primary metric, and every metric of a workload without one: " + headline);
        JsonNode ops = headline.get(0);
        assertEquals("ops", ops.get("metric").asText());
        // 100 +- t(0.975, 2) 4.3027 * 10 / sqrt(3)
        assertEquals(100 - 4.302653 * 10 / Math.sqrt(3), ops.get("ci_low").asDouble(), 1e-4);
        assertEquals(100 + 4.302653 * 10 / Math.sqrt(3), ops.get("ci_high").asDouble(), 1e-4);
        assertEquals("[\"outlier counted: repetition 3 (mad)\",\"noise measured in 1 repetition (see Systems under test)\"]",
                ops.get("flags").toString());
        assertTrue(headline.get(1).get("ci_low").isNull(), "one value: no interval");
        assertEquals("old", headline.get(1).get("workload").asText());
    }

    @Test
    void resultsNotInTheContractsShapeAreRefusedNamingWhere() {
        IllegalArgumentException noArray = assertThrows(IllegalArgumentException.class,
                () -> assemble("{\"run_id\":\"r1\",\"results\":{}}"));
        assertEquals("not a results file: expected an object with a \"results\" array", noArray.getMessage());
        IllegalArgumentException noHost = assertThrows(IllegalArgumentException.class, () -> assemble(
                "{\"results\":[{\"host\":\"a\",\"workload\":\"w\",\"metric\":\"m\",\"values\":[]},{\"workload\":\"w\"}]}"));
        assertEquals("results[1] has no host", noHost.getMessage());
        IllegalArgumentException badValue = assertThrows(IllegalArgumentException.class, () -> assemble(
                "{\"results\":[{\"host\":\"a\",\"workload\":\"w\",\"metric\":\"m\",\"values\":[{\"repetition\":1,\"value\":\"x\"}]}]}"));
        assertEquals("results[0] has a value without a repetition or a number: {\"repetition\":1,\"value\":\"x\"}",
                badValue.getMessage());
    }

    @Test
    void theComparisonIsLbComparesJsonAsItIs() throws Exception {
        Path journal = dir.resolve("journal.jsonl");
        Files.write(journal, ReportFixture.journal("r1"));
        ObjectNode comparison = ReportFixture.comparison();
        JsonNode page = ReportData.assemble("r1", Json.MAPPER.readTree(ReportFixture.RESULTS), null,
                MetricSeries.read(journal), comparison, Json.MAPPER.readTree(ReportFixture.BASE_RESULTS), null,
                Instant.EPOCH, "test");
        assertEquals(comparison, page.get("comparison"));
        assertEquals("all hosts", page.get("comparison").get("rows").get(1).get("host").asText());
        assertTrue(assemble(ReportFixture.RESULTS).get("comparison").isNull(), "no --compare: no comparison");
    }

    @Test
    void theHistorySectionIsCarriedAsGivenAndNullWithoutOne() throws Exception {
        Path journal = dir.resolve("journal.jsonl");
        Files.write(journal, ReportFixture.journal("r1"));
        ObjectNode history = Json.MAPPER.createObjectNode().put("store", "/x/history.db").put("window", 30);
        history.putArray("series").addObject().put("name", "web-1 \u00d7 cpu \u00d7 m").put("this_run", "r1");
        JsonNode page = ReportData.assemble("r1", Json.MAPPER.readTree(ReportFixture.RESULTS), null,
                MetricSeries.read(journal), null, null, history, Instant.EPOCH, "test");
        assertEquals(history, page.get("history"));
        assertTrue(assemble(ReportFixture.RESULTS).get("history").isNull(), "none read: null, and the page says so");
    }
}

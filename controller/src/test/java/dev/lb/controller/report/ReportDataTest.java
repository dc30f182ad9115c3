package dev.lb.controller.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
                MetricSeries.read(journal), null, Instant.parse("2026-12-01T04:00:00Z"), "test");
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
        assertEquals("[\"CPU (%)\",\"Memory (MiB)\",\"Load\",\"Disk and network (B/s)\"]",
                Json.MAPPER.valueToTree(web1.get("charts").findValuesAsText("title")).toString());
        JsonNode cpu = web1.get("charts").get(0);
        assertEquals("[1.76456E9,1.764560001E9,1.764560002E9,1.764560003E9,1.764560004E9]", cpu.get("x").toString());
        assertEquals("[\"cpu_user\",\"cpu_system\",\"cpu_iowait\"]",
                Json.MAPPER.valueToTree(cpu.get("series").findValuesAsText("name")).toString());
        assertEquals("[5.0,6.0,7.0,8.0,9.0]", cpu.get("series").get(1).get("values").toString());
    }

    @Test
    void theSummaryGivesStatePerRepetitionEventsPerPathGapsAndRejections() throws Exception {
        JsonNode s = assemble(ReportFixture.RESULTS).get("summary");
        assertEquals(3, s.get("repetitions").asInt());
        assertEquals("{\"1\":\"failed\",\"2\":\"done\",\"3\":\"done\"}", s.get("state").get(1).get("repetitions").toString());
        assertEquals("{\"accepted\":412,\"stdout_only\":3,\"jsonl_only\":5,\"both\":404,\"recovered\":0,"
                + "\"duplicates_merged\":404}", s.get("events").toString());
        assertEquals("[{\"host\":\"web-2\",\"workload\":\"disk\",\"repetition\":3,\"src\":\"agent\",\"from\":17,\"to\":19}]",
                s.get("gaps").toString());
        assertEquals("[{\"reason\":\"foreign_host\",\"count\":2}]", s.get("rejected").toString());
        assertEquals("lost", s.get("completeness").asText());
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
                MetricSeries.read(journal), comparison, Instant.EPOCH, "test");
        assertEquals(comparison, page.get("comparison"));
        assertEquals("all hosts", page.get("comparison").get("rows").get(1).get("host").asText());
        assertTrue(assemble(ReportFixture.RESULTS).get("comparison").isNull(), "no --compare: no comparison");
    }
}

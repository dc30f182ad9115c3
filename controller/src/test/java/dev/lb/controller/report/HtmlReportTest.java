package dev.lb.controller.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page as text, without a browser: what is inlined, and that nothing in the data can break out of it. */
class HtmlReportTest {
    private static ObjectNode data(String runId) throws Exception {
        MetricSeries.Read metrics = MetricSeries.Read.NONE;
        return ReportData.assemble(runId, Json.MAPPER.readTree(ReportFixture.RESULTS), ReportFixture.summary(runId),
                metrics, ReportFixture.comparison(), Json.MAPPER.readTree(ReportFixture.BASE_RESULTS),
                null, Instant.parse("2026-12-01T04:00:00Z"), "test");
    }

    private static String dataBlock(String html) {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"lb-data\">(.*?)</script>", Pattern.DOTALL)
                .matcher(html);
        assertTrue(m.find(), "the data block is in the page");
        return m.group(1);
    }

    @Test
    void theDataIsInlinedAsJsonThatReadsBackExactly() throws Exception {
        ObjectNode data = data("r1");
        String html = new HtmlReport().render(data);
        // Read as the browser reads numbers (doubles), both sides: the same tree.
        com.fasterxml.jackson.databind.ObjectMapper plain = new com.fasterxml.jackson.databind.ObjectMapper();
        JsonNode back = plain.readTree(dataBlock(html));
        assertEquals(plain.readTree(data.toString()), back);
        assertEquals(ReportFixture.HOSTILE_REASON, back.path("unparsed").path(0).path("reason").asText());
    }

    @Test
    void hostileTextEndsNoElement() throws Exception {
        String html = new HtmlReport().render(data("r1"));
        assertEquals(2, Pattern.compile("(?i)</script").matcher(html).results().count(),
                "only the data block and the page's script end a script element");
        assertEquals(1, Pattern.compile("(?i)</style").matcher(html).results().count());
        assertFalse(html.contains("<!--"), "no comment can be opened by the data");
        assertFalse(html.contains("<img"), html.length() + " chars");
    }

    @Test
    void theTitleNamesTheRunEscaped() throws Exception {
        String html = new HtmlReport().render(data("r1<b>&"));
        assertTrue(html.contains("<title>lb report: r1&lt;b&gt;&amp;</title>"), html.substring(0, 300));
        assertTrue(html.contains("<h1>lb report: r1&lt;b&gt;&amp;</h1>"));
    }

    @Test
    void uplotAndTheStylesAreInlinedAndNothingIsFetched() throws Exception {
        String html = new HtmlReport().render(data("r1"));
        assertTrue(html.contains("/*! https://github.com/leeoniya/uPlot (v1.6.30) */\nvar uPlot=function(){"),
                "uPlot's IIFE build is inlined");
        assertTrue(html.contains(".uplot {") || html.contains(".uplot{"), "uPlot's stylesheet is inlined");
        assertTrue(html.contains("td.num, th.num { text-align: right;"), "the page's stylesheet is inlined");
        String page = html.replace(dataBlock(html), "");
        assertFalse(Pattern.compile("(?i)<(link|img|iframe)\\b|\\ssrc\\s*=|@import|url\\(").matcher(page).find(),
                "no element or rule that loads anything (the data is inert text: see hostileTextEndsNoElement)");
    }

    @Test
    void aRunDirectoryGetsItsReportWrittenWhole(@org.junit.jupiter.api.io.TempDir Path runs) throws Exception {
        Path dir = ReportFixture.writeRun(runs, "r1");
        java.util.List<String> warnings = new java.util.ArrayList<>();
        Path report = RunReport.write(dir, Json.MAPPER.readTree(ReportFixture.RESULTS), null, null, null, Instant.EPOCH,
                "test", warnings::add);
        assertEquals(dir.resolve("report.html"), report);
        assertFalse(java.nio.file.Files.exists(dir.resolve("report.html.tmp")));
        JsonNode data = Json.MAPPER.readTree(dataBlock(java.nio.file.Files.readString(report)));
        assertEquals(10, data.path("system").path("samples").asLong());
        assertEquals(2, data.path("system").path("unreadable_lines").asLong());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith(dir.resolve("journal.jsonl") + ": 2 unreadable line(s) skipped for the"
                + " system metrics (first: journal.jsonl:5: unreadable record (not JSON"), warnings.get(0));
    }
}

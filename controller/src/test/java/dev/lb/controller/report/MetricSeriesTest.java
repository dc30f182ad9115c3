package dev.lb.controller.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricSeriesTest {
    @TempDir
    Path dir;

    @Test
    void metricEventsAreReadPerHostInTimeOrderWithTheirUnits() throws Exception {
        Path journal = dir.resolve("journal.jsonl");
        Files.write(journal, ReportFixture.journal("r1"));
        MetricSeries.Read read = MetricSeries.read(journal);
        assertEquals(10, read.samples());
        assertEquals(List.of("web-1", "web-2"), read.hosts().stream().map(MetricSeries.Host::host).toList());
        MetricSeries.Host web2 = read.hosts().get(1);
        assertEquals(List.of(1764560000.0, 1764560001.0, 1764560002.0, 1764560003.0, 1764560004.0),
                web2.samples().stream().map(MetricSeries.Sample::ts).toList(), "journalled newest first, read in time order");
        assertEquals(List.of(20.0, 30.0, 40.0, 50.0, 60.0),
                web2.samples().stream().map(s -> s.values().get("cpu_user")).toList());
        assertEquals(List.of("cpu_user", "cpu_system", "cpu_iowait", "mem_used", "load1", "disk_read", "disk_write",
                "net_rx", "net_tx"), List.copyOf(web2.units().keySet()));
        assertEquals("MiB", web2.units().get("mem_used"));
        assertEquals("B/s", web2.units().get("net_tx"));
    }

    @Test
    void unreadableLinesAreCountedAndNamedNotFatal() throws Exception {
        Path journal = dir.resolve("journal.jsonl");
        Files.write(journal, ReportFixture.journal("r1"));
        MetricSeries.Read read = MetricSeries.read(journal);
        assertEquals(2, read.unreadableLines(), "the torn line and the metric event without ts; the log event is no"
                + " metric and no problem");
        assertEquals(2, read.problems().size());
        assertTrue(read.problems().get(0).startsWith("journal.jsonl:5: unreadable record (not JSON ("),
                read.problems().get(0));
        assertEquals("journal.jsonl:7: metric event without a numeric ts", read.problems().get(1));
    }

    @Test
    void onlyTheFirstFewProblemsAreNamedButAllAreCounted() throws Exception {
        Path journal = dir.resolve("journal.jsonl");
        Files.write(journal, List.of("x", "y", "[]", "{}", "{\"event\": 3}", "{\"event\": {\"type\": \"metric\"}}",
                "\u00ff\u00fe", "", ReportFixture.metricRecord("r1", "h", 1.0, 0)));
        MetricSeries.Read read = MetricSeries.read(journal);
        assertEquals(7, read.unreadableLines(), "blank lines are no records and no problems");
        assertEquals(MetricSeries.PROBLEMS_NAMED, read.problems().size());
        assertEquals("journal.jsonl:5: unreadable record (not a journal record (no event object)), skipped",
                read.problems().get(4));
        assertEquals(1, read.samples());
    }

    @Test
    void aMetricEntryWithoutANumberMakesItsLineUnreadable() throws Exception {
        Path journal = dir.resolve("journal.jsonl");
        Files.writeString(journal, ReportFixture.metricRecord("r1", "h", 1.0, 0).replace("\"value\":20.0", "\"value\":\"20\"")
                + "\n");
        MetricSeries.Read read = MetricSeries.read(journal);
        assertEquals(1, read.unreadableLines());
        assertEquals(0, read.samples());
        assertEquals(true, read.problems().get(0).startsWith("journal.jsonl:1: metric event with an entry lacking a"
                + " name or a numeric value"), read.problems().get(0));
    }

    @Test
    void aRunWithoutAJournalHasNoMetrics() throws Exception {
        assertEquals(MetricSeries.Read.NONE, MetricSeries.read(dir.resolve("journal.jsonl")));
    }
}

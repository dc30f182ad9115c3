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

class FioJsonParserTest {
    private final FioJsonParser parser = new FioJsonParser();

    @Test
    void oneReadJobGivesBandwidthIopsBytesAndCompletionLatencyInMicroseconds() throws Exception {
        String f = "fio-3.33-one-read.json";
        ParsedResult r = parser.parse(Fixtures.path(f));
        assertEquals("fio", r.parser());
        assertEquals(List.of("seqread.read.bw", "seqread.read.iops", "seqread.read.io_bytes", "seqread.read.clat_mean",
                "seqread.read.clat_p50", "seqread.read.clat_p95", "seqread.read.clat_p99"), names(r));
        printed(f, "\"bw_bytes\" : 557385069,");
        printed(f, "\"iops\" : 136080.339321,");
        printed(f, "\"io_bytes\" : 1116999680,");
        printed(f, "\"mean\" : 6430.685829,");
        printed(f, "\"50.000000\" : 1336,");
        printed(f, "\"95.000000\" : 1896,");
        printed(f, "\"99.000000\" : 2832,");
        assertMetric(r, "seqread.read.bw", 557385069, Unit.B_PER_S);
        assertMetric(r, "seqread.read.iops", 136080.339321, Unit.OPS_PER_S);
        assertMetric(r, "seqread.read.io_bytes", 1116999680, Unit.B);
        assertMetric(r, "seqread.read.clat_mean", 6.430685829, Unit.US);
        assertMetric(r, "seqread.read.clat_p50", 1.336, Unit.US);
        assertMetric(r, "seqread.read.clat_p95", 1.896, Unit.US);
        assertMetric(r, "seqread.read.clat_p99", 2.832, Unit.US);
    }

    @Test
    void severalJobsEachGetTheirOwnNames() throws Exception {
        String f = "fio-3.33-several-jobs.json";
        ParsedResult r = parser.parse(Fixtures.path(f));
        assertEquals(14, r.metrics().size());
        printed(f, "\"iops\" : 37034.448328,");
        printed(f, "\"iops\" : 32084.915085,");
        printed(f, "\"99.000000\" : 100864,");
        assertMetric(r, "writer.write.iops", 37034.448328, Unit.OPS_PER_S);
        assertMetric(r, "reader.read.iops", 32084.915085, Unit.OPS_PER_S);
        assertMetric(r, "reader.read.clat_p99", 100.864, Unit.US);
        assertTrue(names(r).stream().noneMatch(n -> n.startsWith("writer.read") || n.startsWith("reader.write")),
                "directions without I/O are left out: " + names(r));
    }

    @Test
    void groupReportingRandrwGivesOneJobWithReadAndWrite() throws Exception {
        String f = "fio-3.33-randrw-group.json";
        ParsedResult r = parser.parse(Fixtures.path(f));
        assertEquals(14, r.metrics().size());
        printed(f, "\"bw_bytes\" : 60189235,");
        printed(f, "\"bw_bytes\" : 60604123,");
        printed(f, "\"mean\" : 11313.770026,");
        assertMetric(r, "mixed.read.bw", 60189235, Unit.B_PER_S);
        assertMetric(r, "mixed.write.bw", 60604123, Unit.B_PER_S);
        assertMetric(r, "mixed.write.clat_mean", 11.313770026, Unit.US);
    }

    @Test
    void numjobsWithoutGroupReportingTellsTheTwinsApartByOrder() throws Exception {
        String f = "fio-3.33-numjobs2.json";
        ParsedResult r = parser.parse(Fixtures.path(f));
        printed(f, "\"iops\" : 12753.623188,");
        printed(f, "\"iops\" : 12852.573713,");
        assertMetric(r, "twin#1.read.iops", 12753.623188, Unit.OPS_PER_S);
        assertMetric(r, "twin#2.read.iops", 12852.573713, Unit.OPS_PER_S);
        assertEquals(14, r.metrics().size());
    }

    @Test
    void trimAndTrimwriteAreRead() throws Exception {
        printed("fio-3.33-trim.json", "\"iops\" : 28638.680660,");
        assertMetric(parser.parse(Fixtures.path("fio-3.33-trim.json")), "trimmer.trim.iops", 28638.68066,
                Unit.OPS_PER_S);
        ParsedResult tw = parser.parse(Fixtures.path("fio-3.33-trimwrite.json"));
        printed("fio-3.33-trimwrite.json", "\"99.000000\" : 32636928,");
        printed("fio-3.33-trimwrite.json", "\"iops\" : 407.839867,");
        assertMetric(tw, "tw.trim.clat_p99", 32636.928, Unit.US);
        assertMetric(tw, "tw.write.iops", 407.839867, Unit.OPS_PER_S);
    }

    @Test
    void unifiedMixedReportingIsTheMixedDirection() throws Exception {
        printed("fio-3.33-unified-mixed.json", "\"io_bytes\" : 106590208,");
        assertMetric(parser.parse(Fixtures.path("fio-3.33-unified-mixed.json")), "uni.mixed.io_bytes", 106590208,
                Unit.B);
    }

    @Test
    void notesPrintedBeforeTheJsonAreSkipped() throws Exception {
        String f = "fio-3.33-note-before-json.json";
        printed(f, "note: both iodepth >= 1 and synchronous I/O engine are selected");
        printed(f, "\"iops\" : 9258.241758,");
        assertMetric(parser.parse(Fixtures.path(f)), "deep.read.iops", 9258.241758, Unit.OPS_PER_S);
    }

    @Test
    void aFailedJobFailsTheResult() {
        Path f = Fixtures.path("fio-3.33-trim-error.json");
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser.parse(f));
        assertEquals(f + ": job trimmer failed with error 25 (an errno; fio's stderr says more)", e.getMessage());
    }

    @Test
    void normalTextOutputHasNoJsonObject() {
        Path f = Fixtures.path("fio-3.33-normal-output.txt");
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser.parse(f));
        assertEquals(f + ": no JSON object (was fio run with --output-format=json?)", e.getMessage());
    }

    @Test
    void truncatedJsonSaysWhereItEnds() {
        Path f = Fixtures.path("fio-3.33-several-jobs.truncated.json");
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser.parse(f));
        assertTrue(e.getMessage().startsWith(f + ": JSON ends early at line "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" (truncated?)"), e.getMessage());
    }

    @Test
    void aValueThatIsNotANumberIsNamedWithItsPath(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, Files.readString(Fixtures.path("fio-3.33-one-read.json"))
                .replace("\"iops\" : 136080.339321,", "\"iops\" : \"fast\","));
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser.parse(f));
        assertEquals(f + ": jobs[0].read.iops is not a number: \"fast\"", e.getMessage());
    }

    @Test
    void jsonWithoutJobsIsRefused(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("nojobs.json");
        Files.writeString(f, "{\"fio version\": \"fio-3.33\", \"jobs\": []}\n");
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser.parse(f));
        assertEquals(f + ": no 'jobs' in fio's JSON", e.getMessage());
    }

    @Test
    void aNumberTooLargeForADoubleIsRefusedNotPassedOnAsInfinity(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        String json = java.nio.file.Files.readString(Fixtures.path("fio-3.33-one-read.json"))
                .replaceFirst("\"iops\" : [0-9.]+", "\"iops\" : 1e999");
        Path f = java.nio.file.Files.writeString(dir.resolve("inf.json"), json);
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser.parse(f));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
    }

    /** Issue 29: a negative iops was accepted; fio's rates, sizes and latencies cannot be negative. */
    @Test
    void aNegativeFigureIsNamed(@TempDir Path dir) throws Exception {
        String text = java.nio.file.Files.readString(Fixtures.path("fio-3.33-one-read.json"))
                .replaceFirst("\"iops\" : 136080.339321,", "\"iops\" : -136080.339321,");
        Path f = java.nio.file.Files.writeString(dir.resolve("neg.json"), text);
        ResultParseException e = org.junit.jupiter.api.Assertions.assertThrows(ResultParseException.class,
                () -> parser.parse(f));
        assertEquals(f + ": jobs[0].read.iops is negative (-136080.339321), which it cannot be", e.getMessage());
    }
}

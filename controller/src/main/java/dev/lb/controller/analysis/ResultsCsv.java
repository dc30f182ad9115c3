package dev.lb.controller.analysis;

import java.util.stream.Collectors;
import java.util.stream.Stream;

/** results.csv: one row per results.json entry; numbers at full precision, an empty field for null. */
public final class ResultsCsv {
    public static final String HEADER = "host,workload,metric,unit,n,mean,stdev,min,median,p95,max,cv";

    private ResultsCsv() {
    }

    public static String of(RunResults r) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (RunResults.HostResult h : r.results()) {
            SampleSummary s = h.stats();
            out.append(Stream.of(h.host(), h.series().workload(), h.series().metric(), h.series().unit())
                            .map(ResultsCsv::field).collect(Collectors.joining(",")))
                    .append(',').append(s.n())
                    .append(',').append(number(s.mean())).append(',').append(number(s.stdev()))
                    .append(',').append(number(s.min())).append(',').append(number(s.median()))
                    .append(',').append(number(s.p95())).append(',').append(number(s.max()))
                    .append(',').append(number(s.cv())).append('\n');
        }
        return out.toString();
    }

    private static String number(Double d) {
        return d == null ? "" : Double.toString(d);
    }

    /** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
    static String field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}

package dev.lb.controller.results;

import dev.lb.controller.system.SystemDifferences;
import dev.lb.results.Unit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Two runs compared: per host × workload × metric present in both, and per workload × metric an {@code all hosts}
 * row pooling the per-repetition values of the hosts both runs share (when they share two or more; with one it
 * would repeat that host's row); and how the systems under the two runs differ.
 */
public record RunComparison(String baseRun, String newRun, TestChoice test, double alpha, List<Row> rows,
                            SystemDifferences system) {
    public static final String ALL_HOSTS = "all hosts";

    /** One comparison; {@code host} is {@link #ALL_HOSTS} for the pooled row. */
    public record Row(String host, RunResults.SeriesKey series, Difference difference) {
        /** {@code better}, {@code worse} or {@code changed} (no direction for the unit) when significant, else null. */
        public String outcome() {
            if (!difference.verdict().significant()) {
                return null;
            }
            Unit.Direction d = series.knownUnit().map(Unit::direction).orElse(Unit.Direction.NONE);
            if (d == Unit.Direction.NONE) {
                return "changed";
            }
            boolean up = difference.difference() > 0;
            return up == (d == Unit.Direction.HIGHER_IS_BETTER) ? "better" : "worse";
        }

        /** A significant change for the worse by more than {@code pct} percent (any size when the base mean is 0). */
        public boolean regressionBeyond(double pct) {
            return "worse".equals(outcome())
                    && (difference.changePct() == null || Math.abs(difference.changePct()) > pct);
        }
    }

    public static RunComparison of(RunResults base, RunResults neu, TestChoice test, double alpha) {
        SampleComparator comparator = new SampleComparator(test, alpha);
        Map<List<Object>, RunResults.HostResult> newByKey = new LinkedHashMap<>();
        neu.results().forEach(h -> newByKey.put(List.of(h.host(), h.series()), h));
        Map<RunResults.SeriesKey, Map<String, RunResults.HostResult[]>> shared = new TreeMap<>();
        List<Row> rows = new ArrayList<>();
        for (RunResults.HostResult b : base.results()) {
            RunResults.HostResult n = newByKey.get(List.of(b.host(), b.series()));
            if (n == null) {
                continue;
            }
            shared.computeIfAbsent(b.series(), k -> new TreeMap<>()).put(b.host(), new RunResults.HostResult[] {b, n});
            rows.add(new Row(b.host(), b.series(), comparator.compare(b.valueArray(), n.valueArray())));
        }
        List<Row> ordered = new ArrayList<>();
        for (var e : shared.entrySet()) {
            rows.stream().filter(r -> r.series().equals(e.getKey())).forEach(ordered::add);
            if (e.getValue().size() >= 2) {
                double[] pooledBase = e.getValue().values().stream()
                        .flatMapToDouble(p -> java.util.Arrays.stream(p[0].valueArray())).toArray();
                double[] pooledNew = e.getValue().values().stream()
                        .flatMapToDouble(p -> java.util.Arrays.stream(p[1].valueArray())).toArray();
                ordered.add(new Row(ALL_HOSTS, e.getKey(), comparator.compare(pooledBase, pooledNew)));
            }
        }
        return new RunComparison(base.runId(), neu.runId(), test, alpha, List.copyOf(ordered),
                SystemDifferences.between(base.systems(), neu.systems()));
    }

    /** Series that only one of the runs has, for saying so rather than leaving them out silently. */
    public static List<String> unmatched(RunResults base, RunResults neu) {
        TreeSet<String> b = keys(base);
        TreeSet<String> n = keys(neu);
        List<String> out = new ArrayList<>();
        b.stream().filter(k -> !n.contains(k)).forEach(k -> out.add("only in " + base.runId() + ": " + k));
        n.stream().filter(k -> !b.contains(k)).forEach(k -> out.add("only in " + neu.runId() + ": " + k));
        return out;
    }

    private static TreeSet<String> keys(RunResults r) {
        TreeSet<String> out = new TreeSet<>();
        r.results().forEach(h -> out.add(h.host() + " " + h.series().workload() + " " + h.series().metric() + " ("
                + h.series().unit() + ")"));
        return out;
    }

    public List<Row> regressionsBeyond(double pct) {
        return rows.stream().filter(r -> r.regressionBeyond(pct)).toList();
    }

    public RunComparison {
        Objects.requireNonNull(rows);
        Objects.requireNonNull(system);
    }
}

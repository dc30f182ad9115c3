package dev.lb.controller.analysis;

import dev.lb.history.gate.MinimumChange;
import dev.lb.controller.system.SystemDifferences;
import dev.lb.results.Unit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Two runs compared: per host × workload × metric present in both, and per workload × metric an {@code all hosts}
 * row pooling the per-repetition values of the hosts both runs share (when they share two or more; with one it
 * would repeat that host's row); how the systems under the two runs differ; which workload definitions changed.
 *
 * <p>Every row is judged by Welch's t-test. Only each workload's primary metric gets a verdict: those rows (per host
 * and pooled) are one family, corrected by Holm, so that a run compared with a run of the same config is called
 * changed with probability at most alpha however many workloads and hosts there are. The other metrics get
 * Benjamini–Hochberg q-values (one family) and no verdict. Each row's interval is drawn at the level its corrected
 * decision was taken at, so "significant" and "the interval excludes 0" are the same statement.
 */
public record RunComparison(String baseRun, String newRun, double alpha, List<Row> rows, SystemDifferences system,
                            WorkloadDefinitions.Changes definitions) {
    public static final String ALL_HOSTS = "all hosts";
    public static final String HOLM = "holm";
    public static final String BH = "benjamini-hochberg";

    /**
     * A row's corrected judgement: the correction of its family ({@link #HOLM} for primary rows, {@link #BH} for the
     * others; null when there was no test), the adjusted p-value (Holm's, or the q-value), the interval at the level
     * that decision was taken at, and whether the corrected test rejected "no change".
     */
    public record Judgement(String correction, Double adjusted, Difference.Interval interval, boolean rejected) {
        static final Judgement NONE = new Judgement(null, null, null, false);
    }

    /** One comparison; {@code host} is {@link #ALL_HOSTS} for the pooled row. */
    public record Row(String host, RunResults.SeriesKey series, SeriesRoles.Role role, Difference difference,
                      Judgement judgement) {
        public boolean primary() {
            return role.primary();
        }

        /** A primary row's verdict: {@code n too small}, {@code no change}, {@code ~}, {@code exact} or {@code significant}; null for the others. */
        public String verdict() {
            if (!primary()) {
                return null;
            }
            return switch (difference.kind()) {
                case N_TOO_SMALL -> "n too small";
                case NO_CHANGE -> "no change";
                case EXACT -> judgement.rejected() ? "exact" : "not significant";
                case TESTED -> judgement.rejected() ? "significant" : "not significant";
            };
        }

        public boolean significant() {
            return primary() && judgement.rejected();
        }

        /**
         * {@code better}, {@code worse}, or {@code changed} (the metric has no direction) for a significant primary
         * row, else null: a metric without a verdict is never better or worse.
         */
        public String outcome() {
            if (!significant()) {
                return null;
            }
            if (role.direction() == Unit.Direction.NONE) {
                return "changed";
            }
            boolean up = difference.difference() > 0;
            return up == (role.direction() == Unit.Direction.HIGHER_IS_BETTER) ? "better" : "worse";
        }

        /** A significant change for the worse by more than {@code pct} percent (any size when the base mean is 0). */
        public boolean regressionBeyond(double pct) {
            return "worse".equals(outcome())
                    && (difference.changePct() == null || Math.abs(difference.changePct()) > pct);
        }
    }

    public static RunComparison of(RunResults base, RunResults candidate, double alpha,
                                   WorkloadDefinitions.Changes definitions) {
        SampleComparator comparator = new SampleComparator();
        SeriesRoles roles = base.roles().orElse(candidate.roles());
        Map<List<Object>, RunResults.HostResult> newByKey = new LinkedHashMap<>();
        candidate.results().forEach(h -> newByKey.put(List.of(h.host(), h.series()), h));
        Map<RunResults.SeriesKey, Map<String, RunResults.HostResult[]>> shared = new TreeMap<>();
        for (RunResults.HostResult b : base.results()) {
            RunResults.HostResult n = newByKey.get(List.of(b.host(), b.series()));
            if (n != null) {
                shared.computeIfAbsent(b.series(), k -> new TreeMap<>()).put(b.host(),
                        new RunResults.HostResult[] {b, n});
            }
        }
        List<Row> untested = new ArrayList<>();
        for (var e : shared.entrySet()) {
            SeriesRoles.Role role = roles.of(e.getKey());
            e.getValue().forEach((host, pair) -> untested.add(new Row(host, e.getKey(), role,
                    comparator.compare(pair[0].valueArray(), pair[1].valueArray()), Judgement.NONE)));
            if (e.getValue().size() >= 2) {
                double[] pooledBase = e.getValue().values().stream()
                        .flatMapToDouble(p -> Arrays.stream(p[0].valueArray())).toArray();
                double[] pooledNew = e.getValue().values().stream()
                        .flatMapToDouble(p -> Arrays.stream(p[1].valueArray())).toArray();
                untested.add(new Row(ALL_HOSTS, e.getKey(), role, comparator.compare(pooledBase, pooledNew),
                        Judgement.NONE));
            }
        }
        return new RunComparison(base.runId(), candidate.runId(), alpha, judge(untested, alpha),
                SystemDifferences.between(base.systems(), candidate.systems()), definitions);
    }

    /** The rows with their judgements: Holm over the primary rows with a p-value, Benjamini–Hochberg over the rest. */
    static List<Row> judge(List<Row> rows, double alpha) {
        Row[] out = rows.toArray(Row[]::new);
        for (boolean primary : new boolean[] {true, false}) {
            int[] family = java.util.stream.IntStream.range(0, out.length)
                    .filter(i -> out[i].primary() == primary && out[i].difference().pValue() != null).toArray();
            double[] p = Arrays.stream(family).mapToDouble(i -> out[i].difference().pValue()).toArray();
            MultipleTesting.Corrected[] c = primary ? MultipleTesting.holm(p, alpha)
                    : MultipleTesting.benjaminiHochberg(p, alpha);
            for (int k = 0; k < family.length; k++) {
                Row r = out[family[k]];
                out[family[k]] = new Row(r.host(), r.series(), r.role(), r.difference(), new Judgement(
                        primary ? HOLM : BH, c[k].adjusted(), r.difference().interval(c[k].intervalLevel()),
                        c[k].rejected()));
            }
        }
        return List.of(out);
    }

    /** Series that only one of the runs has, for saying so rather than leaving them out silently. */
    public static List<String> unmatched(RunResults base, RunResults candidate) {
        TreeSet<String> b = keys(base);
        TreeSet<String> n = keys(candidate);
        List<String> out = new ArrayList<>();
        b.stream().filter(k -> !n.contains(k)).forEach(k -> out.add("only in " + base.runId() + ": " + k));
        n.stream().filter(k -> !b.contains(k)).forEach(k -> out.add("only in " + candidate.runId() + ": " + k));
        return out;
    }

    /** The base's series (host workload metric (unit)) without results in the new run: what a verdict cannot cover. */
    public static List<String> missingInNew(RunResults base, RunResults candidate) {
        TreeSet<String> n = keys(candidate);
        return keys(base).stream().filter(k -> !n.contains(k)).toList();
    }

    private static TreeSet<String> keys(RunResults r) {
        TreeSet<String> out = new TreeSet<>();
        r.results().forEach(h -> out.add(h.host() + " " + h.series().workload() + " " + h.series().metric() + " ("
                + h.series().unit() + ")"));
        return out;
    }

    /** The rows significantly worse by more than their metric's minimum change (the regression: block's rule). */
    public List<Row> regressionsBeyond(MinimumChange minimum) {
        return rows.stream().filter(r -> r.regressionBeyond(minimum.percentFor(r.series().metric()))).toList();
    }

    public RunComparison {
        Objects.requireNonNull(rows);
        Objects.requireNonNull(system);
        Objects.requireNonNull(definitions);
    }
}

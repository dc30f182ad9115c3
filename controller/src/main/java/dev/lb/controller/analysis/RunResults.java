package dev.lb.controller.analysis;

import dev.lb.controller.state.RunSummary;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.results.Unit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The statistics of a run, per host × workload × metric, over the repetitions that ended {@code done} (warm-ups
 * never count); fleet totals for additive units; every repetition left out, with why; every unparsed result; each
 * host's system information; each series' direction and whether it is its workload's primary metric. This is exactly
 * what results.json holds.
 */
public record RunResults(String runId, List<HostResult> results, List<FleetResult> fleet, List<Excluded> excluded,
                         List<Unparsed> unparsed, List<RunSummary.Stability> stability,
                         SortedMap<String, JsonNode> systems, SeriesRoles roles) {

    public record RepValue(int repetition, double value) {
    }

    /** A metric is identified by its name and its unit: the same name in two units is two series, never mixed. */
    public record SeriesKey(String workload, String metric, String unit) implements Comparable<SeriesKey> {
        @Override
        public int compareTo(SeriesKey o) {
            int c = workload.compareTo(o.workload);
            c = c != 0 ? c : metric.compareTo(o.metric);
            return c != 0 ? c : unit.compareTo(o.unit);
        }

        public boolean additive() {
            return Unit.of(unit).map(Unit::additive).orElse(false);
        }

        public Optional<Unit> knownUnit() {
            return Unit.of(unit);
        }
    }

    public record HostResult(String host, SeriesKey series, SampleSummary stats, List<RepValue> values,
                             List<Outliers.Outlier> outliers) {
        public double[] valueArray() {
            return values.stream().mapToDouble(RepValue::value).toArray();
        }
    }

    public record FleetResult(SeriesKey series, int hosts, List<RepValue> totals, SampleSummary stats) {
    }

    /** A repetition that does not count, why, and the values it produced all the same (kept, never counted). */
    public record Excluded(RepetitionKey key, String status, String reason, List<Repetition.Value> values) {
        public Excluded {
            values = List.copyOf(values);
        }

        public boolean warmup() {
            return reason.equals(WARMUP);
        }
    }

    static final String WARMUP = "warm-up repetition";

    public record Unparsed(RepetitionKey key, String reason) {
    }

    public static RunResults of(ResultEvents events) {
        // series -> host -> values in repetition order (the map of repetitions is ordered by workload, host, rep)
        Map<SeriesKey, Map<String, List<RepValue>>> series = new TreeMap<>();
        List<Excluded> excluded = new ArrayList<>();
        List<Unparsed> unparsed = new ArrayList<>();
        Map<String, RunSummary.Stability> stability = new LinkedHashMap<>();
        Map<String, List<SeriesRoles.Emitted>> emitted = new LinkedHashMap<>();
        for (Repetition rep : events.repetitions().values()) {
            rep.unparsed().forEach(reason -> unparsed.add(new Unparsed(rep.key(), reason)));
            if (rep.stability() != null) {
                stability.merge(rep.key().host() + "\u0000" + rep.key().workload(), stabilityOf(rep),
                        (earlier, later) -> new RunSummary.Stability(later.host(), later.workload(), later.stable(),
                                later.n(), earlier.skipped() + later.skipped(), later.explanation()));
            }
            if (rep.skippedAsStable()) {
                continue; // not needed, so neither counted nor excluded; the stability lines say it
            }
            if (!rep.counts()) {
                excluded.add(new Excluded(rep.key(), rep.status(), reason(rep), List.copyOf(rep.metrics().values())));
                continue;
            }
            for (Repetition.Value v : rep.metrics().values()) {
                SeriesKey key = new SeriesKey(rep.key().workload(), v.name(), v.unit());
                SeriesRoles.add(emitted, key, v.parser());
                series.computeIfAbsent(key, k -> new TreeMap<>())
                        .computeIfAbsent(rep.key().host(), h -> new ArrayList<>())
                        .add(new RepValue(rep.key().repetition(), v.value()));
            }
        }
        List<HostResult> results = new ArrayList<>();
        series.forEach((key, hosts) -> hosts.forEach((host, values) -> results.add(new HostResult(host, key,
                SampleSummary.of(values.stream().mapToDouble(RepValue::value).toArray()), List.copyOf(values),
                Outliers.find(values)))));
        List<FleetResult> fleet = new ArrayList<>();
        series.forEach((key, hosts) -> fleet(key, hosts, events).ifPresent(fleet::add));
        return new RunResults(events.runId(), List.copyOf(results), List.copyOf(fleet), List.copyOf(excluded),
                List.copyOf(unparsed), List.copyOf(stability.values()), events.systems(), SeriesRoles.of(emitted));
    }

    /** One repetition's verdict; the repetitions come in order, so the last one's verdict is the standing one. */
    private static RunSummary.Stability stabilityOf(Repetition rep) {
        return RunSummary.Stability.of(rep.key().host(), rep.key().workload(), rep.stability(),
                rep.skippedAsStable() ? 1 : 0);
    }

    private static String reason(Repetition rep) {
        if (rep.warmup()) {
            return WARMUP;
        }
        if (rep.status().equals("running")) {
            return "no final event in the journal (the repetition did not end, or its end was not journalled)";
        }
        return rep.statusMessage() != null ? rep.statusMessage() : "(no message)";
    }

    /**
     * The sum over hosts per repetition, for the repetitions in which every host that has this metric ended done and
     * gave it; none for units whose values do not add up across hosts (latencies, percentages).
     */
    private static Optional<FleetResult> fleet(SeriesKey key, Map<String, List<RepValue>> hosts, ResultEvents events) {
        if (!key.additive()) {
            return Optional.empty();
        }
        Set<Integer> reps = new java.util.TreeSet<>();
        events.repetitions().keySet().stream().filter(k -> k.workload().equals(key.workload()))
                .forEach(k -> reps.add(k.repetition()));
        List<RepValue> totals = new ArrayList<>();
        for (int r : reps) {
            double sum = 0;
            boolean complete = true;
            for (String host : new LinkedHashSet<>(hosts.keySet())) {
                Repetition rep = events.repetitions().get(new RepetitionKey(host, key.workload(), r));
                Repetition.Value v = rep == null || !rep.counts() ? null : rep.metrics().get(key.metric());
                if (v == null || !v.unit().equals(key.unit())) {
                    complete = false;
                    break;
                }
                sum += v.value();
            }
            if (complete) {
                totals.add(new RepValue(r, sum));
            }
        }
        if (totals.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new FleetResult(key, hosts.size(), List.copyOf(totals),
                SampleSummary.of(totals.stream().mapToDouble(RepValue::value).toArray())));
    }
}

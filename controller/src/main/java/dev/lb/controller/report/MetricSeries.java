package dev.lb.controller.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.controller.ingest.JournalReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The system metrics ({@code type: metric} events) of a run, per host, read from its journal. Read leniently: a line
 * that is not a journal record, or a metric event without its host, time or metrics, is counted and named (the first
 * few) and skipped; the report still shows everything else.
 */
public final class MetricSeries {
    /** How many unreadable lines are named one by one; the rest are only counted. */
    static final int PROBLEMS_NAMED = 5;

    /** One sample: its time (epoch s) and the values it carried, by metric name. */
    public record Sample(double ts, Map<String, Double> values) {
    }

    /** One host's samples in time order, and the unit of each metric name, in the order the names first appeared. */
    public record Host(String host, Map<String, String> units, List<Sample> samples) {
    }

    /** When one repetition of a workload ran on a host: its first and last event's times (epoch s). */
    public record Span(String workload, int repetition, double start, double end) {
    }

    /**
     * What was read: the hosts in the order they first appeared, the metric events taken, and the lines skipped; and
     * per host the repetitions' spans in time order, for marking them on the charts.
     */
    public record Read(List<Host> hosts, long samples, long unreadableLines, List<String> problems,
                       Map<String, List<Span>> repetitions) {
        public static final Read NONE = new Read(List.of(), 0, 0, List.of(), Map.of());

        public List<Span> repetitionsOf(String host) {
            return repetitions.getOrDefault(host, List.of());
        }
    }

    private MetricSeries() {
    }

    /** Reads the journal; a missing journal has no metrics (it is not an error: a run may have journalled none). */
    public static Read read(Path journal) throws IOException {
        if (!Files.exists(journal)) {
            return Read.NONE;
        }
        Map<String, Host> hosts = new LinkedHashMap<>();
        Map<String, Map<List<Object>, double[]>> spans = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        long unreadable = 0;
        long samples = 0;
        // The reader names lines by the journal's path; the page names them by file name, in line order.
        String prefix = journal.toString();
        java.util.function.Consumer<String> readerSaid = said -> {
            if (problems.size() < PROBLEMS_NAMED) {
                problems.add(said.startsWith(prefix) ? journal.getFileName() + said.substring(prefix.length()) : said);
            }
        };
        try (JournalReader r = JournalReader.open(journal, readerSaid)) {
            for (JournalReader.Record rec; (rec = r.next()) != null; ) {
                span(rec.event(), spans);
                String why = take(rec.event(), hosts);
                if (why == null) {
                    samples++;
                } else if (!why.isEmpty()) {
                    unreadable++;
                    if (problems.size() < PROBLEMS_NAMED) {
                        problems.add(journal.getFileName() + ":" + rec.line() + ": " + why);
                    }
                }
            }
            unreadable += r.unreadable();
        }
        List<Host> ordered = new ArrayList<>();
        for (Host h : hosts.values()) {
            List<Sample> sorted = new ArrayList<>(h.samples());
            // The journal is in arrival order; two delivery paths can interleave, the sample time cannot.
            sorted.sort(Comparator.comparingDouble(Sample::ts));
            ordered.add(new Host(h.host(), h.units(), List.copyOf(sorted)));
        }
        Map<String, List<Span>> repetitions = new LinkedHashMap<>();
        spans.forEach((host, byRep) -> {
            List<Span> list = new ArrayList<>();
            byRep.forEach((k, t) -> list.add(new Span((String) k.get(0), (Integer) k.get(1), t[0], t[1])));
            list.sort(Comparator.comparingDouble(Span::start));
            repetitions.put(host, List.copyOf(list));
        });
        return new Read(List.copyOf(ordered), samples, unreadable, List.copyOf(problems), Map.copyOf(repetitions));
    }

    /** Widens the span of the event's repetition (one of a workload's, not the run-level events of repetition 0). */
    private static void span(JsonNode event, Map<String, Map<List<Object>, double[]>> spans) {
        JsonNode host = event.get("host");
        JsonNode ts = event.get("ts");
        int rep = event.path("repetition").asInt(0);
        if (host == null || !host.isTextual() || ts == null || !ts.isNumber() || rep < 1) {
            return; // not placed in time: a problem with it, if any, is counted where it matters (take)
        }
        double t = ts.asDouble();
        double[] span = spans.computeIfAbsent(host.asText(), k -> new LinkedHashMap<>())
                .computeIfAbsent(List.of(event.path("workload").asText(""), rep), k -> new double[] {t, t});
        span[0] = Math.min(span[0], t);
        span[1] = Math.max(span[1], t);
    }

    /** Takes one journal event: null when a sample was taken, "" when it is not a metric event, else why not. */
    private static String take(JsonNode event, Map<String, Host> hosts) {
        if (!"metric".equals(event.path("type").asText())) {
            return "";
        }
        JsonNode host = event.get("host");
        JsonNode ts = event.get("ts");
        JsonNode metrics = event.get("metrics");
        if (host == null || !host.isTextual() || host.asText().isEmpty()) {
            return "metric event without a host";
        }
        if (ts == null || !ts.isNumber()) {
            return "metric event without a numeric ts";
        }
        if (metrics == null || !metrics.isArray()) {
            return "metric event without a metrics array";
        }
        Map<String, Double> values = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        for (JsonNode m : metrics) {
            JsonNode name = m.get("name");
            JsonNode value = m.get("value");
            if (name == null || !name.isTextual() || value == null || !value.isNumber()) {
                return "metric event with an entry lacking a name or a numeric value: " + m;
            }
            values.put(name.asText(), value.asDouble());
            units.put(name.asText(), m.path("unit").asText(""));
        }
        Host h = hosts.computeIfAbsent(host.asText(), k -> new Host(k, new LinkedHashMap<>(), new ArrayList<>()));
        units.forEach(h.units()::putIfAbsent);
        h.samples().add(new Sample(ts.asDouble(), values));
        return null;
    }
}

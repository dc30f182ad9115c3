package dev.lb.controller.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.controller.analysis.DisplayUnit;
import dev.lb.controller.state.RunSummary;
import dev.lb.controller.state.SummaryFile;
import dev.lb.controller.system.SystemFields;
import dev.lb.controller.system.SystemWarnings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything the report page shows, as one JSON object: the run's summary, its results (as results.json has them),
 * one chart per result metric across repetitions, the system metrics per host, and the comparison when there is one
 * (lb compare's JSON as it is, so the page and {@code lb compare} share one definition of a comparison row), and
 * the run's history (its series over their last runs, in the shape {@code lb history report} draws).
 * The page renders only this object; nothing else is read by it.
 */
public final class ReportData {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /**
     * Chart titles for the system metric units lb's agent samples (the axis names the unit the values are shown
     * in, scaled); any other unit is titled by itself.
     */
    private static final Map<String, String> UNIT_TITLES = Map.of(
            "%", "CPU (%)", "MiB", "Memory", "count", "Load", "B/s", "Disk and network");

    private ReportData() {
    }

    /**
     * @param results     results.json as read; must be an object with a {@code results} array
     * @param summary     summary.json, or null when the run has none (the page says so)
     * @param metrics     the system metrics read from the journal
     * @param comparison  the comparison with a base run as {@code lb compare --output json} prints it, or null
     * @param baseResults the base run's results.json when there is a comparison (its values are charted against
     *                    this run's), else null
     * @param history     the history section (the run's series over their last runs, as the history module reads
     *                    them for lb report), or null when none was asked for
     * @throws IllegalArgumentException when results.json does not have the shape the contract gives, naming where
     */
    public static ObjectNode assemble(String runId, JsonNode results, RunSummary summary, MetricSeries.Read metrics,
                                      JsonNode comparison, JsonNode baseResults, JsonNode history,
                                      Instant generatedAt, String lbVersion) {
        if (results == null || !results.isObject() || !results.path("results").isArray()) {
            throw new IllegalArgumentException("not a results file: expected an object with a \"results\" array");
        }
        ObjectNode page = F.objectNode();
        page.put("run_id", runId);
        page.put("generated_at", generatedAt.toString());
        page.put("lb_version", lbVersion);
        // summary.json's own keys: the page reads the file's form, so a field added to the summary needs no copy here.
        page.set("summary", summary == null ? F.nullNode() : SummaryFile.tree(summary));
        ArrayNode units = page.putArray("display_units");
        DisplayUnit.families().forEach(f -> f.forEach(units.addArray()::add));
        ArrayNode entries = page.putArray("results");
        int i = 0;
        for (JsonNode r : results.get("results")) {
            entries.add(checkedResult(r, i++));
        }
        page.set("fleet", arrayOrEmpty(results, "fleet"));
        page.set("excluded", arrayOrEmpty(results, "excluded"));
        page.set("unparsed", arrayOrEmpty(results, "unparsed"));
        page.set("stability", arrayOrEmpty(results, "stability"));
        page.set("result_charts", resultCharts(entries));
        page.set("machines", machines(results.get("system"), summary));
        page.set("system", system(metrics));
        page.set("comparison", comparison == null ? F.nullNode() : comparison.deepCopy());
        page.set("headline", Headline.rows(entries, summary == null ? List.of() : summary.systemWarnings()));
        page.set("history", history == null ? F.nullNode() : history.deepCopy());
        page.set("comparison_charts", comparison == null || baseResults == null ? F.arrayNode()
                : Headline.comparisonCharts(comparison, baseResults.path("results"), entries));
        return page;
    }

    private static JsonNode checkedResult(JsonNode r, int index) {
        for (String field : List.of("host", "workload", "metric")) {
            if (!r.path(field).isTextual()) {
                throw new IllegalArgumentException("results[" + index + "] has no " + field);
            }
        }
        if (!r.path("values").isArray()) {
            throw new IllegalArgumentException("results[" + index + "] has no values array");
        }
        for (JsonNode v : r.get("values")) {
            if (!v.path("repetition").canConvertToInt() || !v.path("value").isNumber()) {
                throw new IllegalArgumentException("results[" + index + "] has a value without a repetition or a"
                        + " number: " + v);
            }
        }
        return r.deepCopy();
    }

    private static JsonNode arrayOrEmpty(JsonNode results, String field) {
        JsonNode v = results.get(field);
        if (v == null || v.isNull()) {
            return F.arrayNode();
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException("\"" + field + "\" is not an array");
        }
        return v.deepCopy();
    }

    /** One chart per workload and metric: x the repetitions any host has, one series per host (null where absent). */
    private static ArrayNode resultCharts(ArrayNode entries) {
        Map<List<String>, List<JsonNode>> byMetric = new LinkedHashMap<>();
        for (JsonNode r : entries) {
            byMetric.computeIfAbsent(List.of(r.get("workload").asText(), r.get("metric").asText(),
                    r.path("unit").asText("")), k -> new ArrayList<>()).add(r);
        }
        ArrayNode charts = F.arrayNode();
        byMetric.forEach((key, hosts) -> {
            TreeSet<Integer> reps = new TreeSet<>();
            hosts.forEach(h -> h.get("values").forEach(v -> reps.add(v.get("repetition").asInt())));
            ObjectNode chart = charts.addObject();
            chart.put("workload", key.get(0));
            chart.put("metric", key.get(1));
            chart.put("unit", key.get(2));
            ArrayNode x = chart.putArray("x");
            reps.forEach(x::add);
            ArrayNode series = chart.putArray("series");
            for (JsonNode h : hosts) {
                Map<Integer, JsonNode> byRep = new TreeMap<>();
                h.get("values").forEach(v -> byRep.put(v.get("repetition").asInt(), v.get("value")));
                ObjectNode s = series.addObject();
                s.put("host", h.get("host").asText());
                ArrayNode values = s.putArray("values");
                reps.forEach(rep -> values.add(byRep.getOrDefault(rep, F.nullNode())));
            }
        });
        return charts;
    }

    /**
     * The targets' system information (results.json's {@code system}) as a table with the hosts as columns, one row
     * per field any host reported; each field a host could not read is listed with its reason below. The warnings
     * are the summary's (clock offset), else computed here for a run without summary.json.
     */
    private static ObjectNode machines(JsonNode systems, RunSummary summary) {
        ObjectNode m = F.objectNode();
        List<String> hosts = new ArrayList<>();
        Map<String, JsonNode> byHost = new TreeMap<>();
        if (systems != null && systems.isObject()) {
            systems.fields().forEachRemaining(e -> {
                if (e.getValue().isObject()) {
                    byHost.put(e.getKey(), e.getValue());
                }
            });
        }
        hosts.addAll(byHost.keySet());
        ArrayNode hostArray = m.putArray("hosts");
        hosts.forEach(hostArray::add);
        ArrayNode rows = m.putArray("rows");
        for (SystemFields.Field f : SystemFields.ALL) {
            List<String> values = hosts.stream().map(h -> f.of(byHost.get(h))).toList();
            if (values.stream().allMatch(java.util.Objects::isNull)) {
                continue;
            }
            ObjectNode row = rows.addObject();
            row.put("label", f.label());
            ArrayNode v = row.putArray("values");
            values.forEach(x -> v.add(x == null ? "\u2014" : x));
        }
        ArrayNode unread = m.putArray("unread");
        byHost.forEach((host, s) -> s.path("unread").fields().forEachRemaining(u -> unread.add(host + ": "
                + u.getKey() + " not read: " + u.getValue().asText())));
        ArrayNode warnings = m.putArray("warnings");
        List<String> w = summary != null && summary.systemWarnings() != null ? summary.systemWarnings()
                : SystemWarnings.of(byHost);
        w.forEach(warnings::add);
        return m;
    }

    /** Per host, one chart per unit: the series of that unit against the sample time. */
    private static ObjectNode system(MetricSeries.Read metrics) {
        ObjectNode system = F.objectNode();
        system.put("samples", metrics.samples());
        system.put("unreadable_lines", metrics.unreadableLines());
        ArrayNode problems = system.putArray("problems");
        metrics.problems().forEach(problems::add);
        ArrayNode hosts = system.putArray("hosts");
        for (MetricSeries.Host h : metrics.hosts()) {
            ObjectNode host = hosts.addObject();
            host.put("host", h.host());
            ArrayNode reps = host.putArray("repetitions");
            metrics.repetitionsOf(h.host()).forEach(sp -> reps.addObject().put("workload", sp.workload())
                    .put("repetition", sp.repetition()).put("start", sp.start()).put("end", sp.end()));
            Map<String, List<String>> namesByUnit = new LinkedHashMap<>();
            h.units().forEach((name, unit) -> namesByUnit.computeIfAbsent(unit, u -> new ArrayList<>()).add(name));
            ArrayNode charts = host.putArray("charts");
            namesByUnit.forEach((unit, names) -> {
                ObjectNode chart = charts.addObject();
                chart.put("title", UNIT_TITLES.getOrDefault(unit, unit.isEmpty() ? "(no unit)" : unit));
                chart.put("unit", unit);
                ArrayNode x = chart.putArray("x");
                h.samples().forEach(s -> x.add(s.ts()));
                ArrayNode series = chart.putArray("series");
                for (String name : names) {
                    ObjectNode s = series.addObject();
                    s.put("name", name);
                    ArrayNode values = s.putArray("values");
                    h.samples().forEach(sample -> {
                        Double v = sample.values().get(name);
                        if (v == null) {
                            values.addNull();
                        } else {
                            values.add(v);
                        }
                    });
                }
            });
        }
        return system;
    }
}

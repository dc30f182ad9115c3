package dev.lb.controller.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * What the report shows first: per workload its primary metric on each host (every metric when results.json does
 * not say which is primary), with the mean's 95 % confidence interval, n, cv and a trust mark naming what makes the
 * number less sure (an outlier counted in it, noise the agent measured during its repetitions); and, with a
 * comparison, each primary metric's repetitions of the base run beside this run's.
 */
final class Headline {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final double LEVEL = 0.95;

    private Headline() {
    }

    /**
     * @param results        results.json's rows, as checked by ReportData
     * @param systemWarnings the summary's warnings; those naming a host's workload ("host workload rep N: ...") mark
     *                       that row
     */
    static ArrayNode rows(ArrayNode results, List<String> systemWarnings) {
        Map<String, Boolean> workloadHasPrimary = new LinkedHashMap<>();
        results.forEach(r -> workloadHasPrimary.merge(r.get("workload").asText(), r.path("primary").asBoolean(false),
                Boolean::logicalOr));
        ArrayNode out = F.arrayNode();
        for (JsonNode r : results) {
            if (workloadHasPrimary.get(r.get("workload").asText()) && !r.path("primary").asBoolean(false)) {
                continue;
            }
            ObjectNode row = out.addObject();
            for (String field : List.of("workload", "host", "metric", "unit", "direction", "n", "mean", "stdev", "cv")) {
                row.set(field, r.path(field).isMissingNode() ? F.nullNode() : r.get(field).deepCopy());
            }
            double[] ci = meanInterval(values(r));
            row.put("ci_level", LEVEL);
            row.set("ci_low", ci == null ? F.nullNode() : F.numberNode(ci[0]));
            row.set("ci_high", ci == null ? F.nullNode() : F.numberNode(ci[1]));
            ArrayNode flags = row.putArray("flags");
            for (JsonNode o : r.path("outliers")) {
                flags.add("outlier counted: repetition " + o.path("repetition").asText() + " ("
                        + o.path("rule").asText() + ")");
            }
            String prefix = r.get("host").asText() + " " + r.get("workload").asText() + " rep ";
            long noisy = systemWarnings == null ? 0 : systemWarnings.stream().filter(w -> w.startsWith(prefix)).count();
            if (noisy > 0) {
                flags.add("noise measured in " + noisy + (noisy == 1 ? " repetition" : " repetitions")
                        + " (see Systems under test)");
            }
        }
        return out;
    }

    /**
     * One chart per workload × primary metric of the comparison: per host both runs have, the base run's repetition
     * values and this run's, each side's mean with its 95 % interval, and the row's verdict.
     */
    static ArrayNode comparisonCharts(JsonNode comparison, JsonNode baseResults, ArrayNode results) {
        Map<List<String>, ObjectNode> charts = new LinkedHashMap<>();
        for (JsonNode row : comparison.path("rows")) {
            if (!row.path("primary").asBoolean(false)) {
                continue;
            }
            List<String> key = List.of(row.path("workload").asText(), row.path("metric").asText(),
                    row.path("unit").asText());
            ObjectNode chart = charts.computeIfAbsent(key, k -> {
                ObjectNode c = F.objectNode();
                c.put("workload", k.get(0));
                c.put("metric", k.get(1));
                c.put("unit", k.get(2));
                c.set("direction", row.get("direction"));
                c.putArray("hosts");
                return c;
            });
            String host = row.path("host").asText();
            JsonNode base = find(baseResults, host, key);
            JsonNode candidate = find(results, host, key);
            if (base == null || candidate == null) {
                continue; // the pooled row, or a host whose values are not at hand: its verdict is in the table
            }
            ObjectNode h = ((ArrayNode) chart.get("hosts")).addObject();
            h.put("host", host);
            h.set("verdict", row.get("verdict"));
            h.set("outcome", row.get("outcome"));
            h.set("base", side(base));
            h.set("new", side(candidate));
        }
        ArrayNode out = F.arrayNode();
        charts.values().stream().filter(c -> !c.get("hosts").isEmpty()).forEach(out::add);
        return out;
    }

    private static ObjectNode side(JsonNode result) {
        double[] values = values(result);
        ObjectNode s = F.objectNode();
        ArrayNode v = s.putArray("values");
        for (double x : values) {
            v.add(x);
        }
        s.set("mean", result.get("mean"));
        double[] ci = meanInterval(values);
        s.set("ci_low", ci == null ? F.nullNode() : F.numberNode(ci[0]));
        s.set("ci_high", ci == null ? F.nullNode() : F.numberNode(ci[1]));
        return s;
    }

    private static JsonNode find(JsonNode rows, String host, List<String> key) {
        for (JsonNode r : rows) {
            if (r.path("host").asText().equals(host) && r.path("workload").asText().equals(key.get(0))
                    && r.path("metric").asText().equals(key.get(1)) && r.path("unit").asText().equals(key.get(2))) {
                return r;
            }
        }
        return null;
    }

    private static double[] values(JsonNode result) {
        List<Double> v = new ArrayList<>();
        result.path("values").forEach(x -> v.add(x.get("value").asDouble()));
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The mean's interval at {@link #LEVEL} (Student's t, n - 1 degrees of freedom); null below two values. */
    static double[] meanInterval(double[] x) {
        int n = x.length;
        if (n < 2) {
            return null;
        }
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= n;
        double ss = 0;
        for (double v : x) {
            ss += (v - mean) * (v - mean);
        }
        double half = TDistribution.of(n - 1).inverseSurvivalProbability((1 - LEVEL) / 2) * Math.sqrt(ss / (n - 1) / n);
        return new double[] {mean - half, mean + half};
    }
}

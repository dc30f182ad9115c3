package dev.lb.controller.analysis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** results.json's shape, built from {@link RunResults}; numbers at full precision. */
public final class ResultsJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ResultsJson() {
    }

    public static ObjectNode of(RunResults r) {
        ObjectNode root = F.objectNode();
        root.put("run_id", r.runId());
        ArrayNode results = root.putArray("results");
        for (RunResults.HostResult h : r.results()) {
            ObjectNode o = results.addObject();
            o.put("host", h.host());
            series(o, h.series());
            SeriesRoles.Role role = r.roles().of(h.series());
            o.put("direction", SeriesRoles.label(role.direction()));
            o.put("parser", role.parser());
            o.put("primary", role.primary());
            stats(o, h.stats());
            values(o.putArray("values"), h.values());
            ArrayNode outliers = o.putArray("outliers");
            for (Outliers.Outlier x : h.outliers()) {
                outliers.addObject().put("repetition", x.repetition()).put("value", x.value()).put("rule", x.rule());
            }
        }
        ArrayNode fleet = root.putArray("fleet");
        for (RunResults.FleetResult f : r.fleet()) {
            ObjectNode o = fleet.addObject();
            series(o, f.series());
            o.put("hosts", f.hosts());
            values(o.putArray("totals"), f.totals());
            stats(o, f.stats());
        }
        ArrayNode excluded = root.putArray("excluded");
        for (RunResults.Excluded e : r.excluded()) {
            ObjectNode x = key(excluded.addObject(), e.key()).put("status", e.status()).put("reason", e.reason());
            ArrayNode produced = x.putArray("values");
            for (Repetition.Value v : e.values()) {
                produced.addObject().put("metric", v.name()).put("unit", v.unit()).put("value", v.value());
            }
        }
        ArrayNode unparsed = root.putArray("unparsed");
        for (RunResults.Unparsed u : r.unparsed()) {
            key(unparsed.addObject(), u.key()).put("reason", u.reason());
        }
        ObjectNode system = root.putObject("system");
        r.systems().forEach((host, s) -> system.set(host, s.deepCopy()));
        // Adaptive repetitions (repetitions: {min, max, until_cv, metric}): where each host stopped and why.
        ArrayNode stability = root.putArray("stability");
        for (var st : r.stability()) {
            stability.addObject().put("host", st.host()).put("workload", st.workload()).put("stable", st.stable())
                    .put("n", st.n()).put("skipped", st.skipped()).put("explanation", st.explanation());
        }
        return root;
    }

    private static void series(ObjectNode o, RunResults.SeriesKey s) {
        o.put("workload", s.workload());
        o.put("metric", s.metric());
        o.put("unit", s.unit());
    }

    private static ObjectNode key(ObjectNode o, RepetitionKey k) {
        return o.put("host", k.host()).put("workload", k.workload()).put("repetition", k.repetition());
    }

    private static void stats(ObjectNode o, SampleSummary s) {
        o.put("n", s.n());
        o.put("mean", s.mean());
        o.put("stdev", s.stdev());
        o.put("min", s.min());
        o.put("median", s.median());
        o.put("p95", s.p95());
        o.put("max", s.max());
        o.put("cv", s.cv());
    }

    private static void values(ArrayNode a, List<RunResults.RepValue> values) {
        values.forEach(v -> a.addObject().put("repetition", v.repetition()).put("value", v.value()));
    }
}

package dev.lb.controller.analysis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.history.gate.MinimumChange;

/**
 * {@code lb compare --output json}: one object with the settings, the system and workload-definition differences,
 * and every row's fields, full precision. A row that is not its workload's primary metric has a {@code q_value} and
 * null {@code verdict}, {@code significant} and {@code outcome}: it is shown, never judged.
 */
public final class ComparisonJson {
    private ComparisonJson() {
    }

    /**
     * {@code minimum}: the minimum change each row's metric needs to be a regression (the regression: block, or one
     * percentage); {@code failOnRegression}: whether the command fails on one; {@code uniformPct}: the percentage
     * {@code --fail-on-regression PCT} gave, else null.
     */
    public static ObjectNode of(RunComparison c, MinimumChange minimum, boolean failOnRegression, Double uniformPct) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("base_run", c.baseRun());
        root.put("new_run", c.newRun());
        root.put("test", "welch");
        root.put("alpha", c.alpha());
        root.put("primary_correction", RunComparison.HOLM);
        root.put("other_correction", RunComparison.BH);
        root.put("effect_size", "hedges_g");
        root.put("fail_on_regression", failOnRegression);
        root.put("fail_on_regression_pct", uniformPct);
        ObjectNode min = root.putObject("min_change");
        min.put("default_percent", minimum.defaultPercent());
        ArrayNode rules = min.putArray("rules");
        minimum.rules().forEach(rule -> rules.addObject().put("match", rule.pattern().pattern())
                .put("min_change_percent", rule.percent()));
        ObjectNode system = root.putObject("system");
        ArrayNode changes = system.putArray("differences");
        c.system().changes().forEach(ch -> changes.addObject().put("host", ch.host()).put("field", ch.field())
                .put("base", ch.base()).put("new", ch.candidate()));
        ArrayNode hardware = system.putArray("different_hardware");
        c.system().differentHardware().forEach(hardware::add);
        ArrayNode notRecorded = system.putArray("not_recorded");
        c.system().notRecorded().forEach(notRecorded::add);
        ObjectNode definitions = root.putObject("workload_definitions");
        ArrayNode changed = definitions.putArray("differences");
        c.definitions().changes().forEach(ch -> changed.addObject().put("workload", ch.workload())
                .put("field", ch.field()).put("base", ch.base()).put("new", ch.candidate()));
        ArrayNode defsNotRecorded = definitions.putArray("not_recorded");
        c.definitions().notRecorded().forEach(defsNotRecorded::add);
        ArrayNode rows = root.putArray("rows");
        for (RunComparison.Row r : c.rows()) {
            Difference d = r.difference();
            RunComparison.Judgement j = r.judgement();
            ObjectNode o = rows.addObject();
            o.put("host", r.host());
            o.put("workload", r.series().workload());
            o.put("metric", r.series().metric());
            o.put("unit", r.series().unit());
            o.put("direction", SeriesRoles.label(r.role().direction()));
            o.put("primary", r.primary());
            o.putObject("base").put("n", d.baseN()).put("mean", d.baseMean()).put("median", d.baseMedian());
            o.putObject("new").put("n", d.newN()).put("mean", d.newMean()).put("median", d.newMedian());
            o.put("change_pct", d.changePct());
            o.put("difference", d.difference());
            o.put("ci_level", j.interval() == null ? null : j.interval().level());
            o.put("ci_low", j.interval() == null ? null : j.interval().low());
            o.put("ci_high", j.interval() == null ? null : j.interval().high());
            o.put("hedges_g", d.hedgesG());
            o.put("test", d.kind() == Difference.Kind.TESTED ? "welch" : null);
            o.put("p_value", d.pValue());
            o.put("correction", j.correction());
            o.put("holm_p", RunComparison.HOLM.equals(j.correction()) ? j.adjusted() : null);
            o.put("q_value", RunComparison.BH.equals(j.correction()) ? j.adjusted() : null);
            o.put("verdict", r.verdict());
            if (r.primary()) {
                o.put("significant", r.significant());
            } else {
                o.putNull("significant");
            }
            o.put("outcome", r.outcome());
            double pct = minimum.percentFor(r.series().metric());
            o.put("min_change_percent", pct);
            o.put("regression", r.regressionBeyond(pct));
        }
        return root;
    }
}

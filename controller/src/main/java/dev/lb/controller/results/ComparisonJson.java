package dev.lb.controller.results;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code lb compare --output json}: one object with the settings and every row's fields, full precision. */
public final class ComparisonJson {
    private ComparisonJson() {
    }

    public static ObjectNode of(RunComparison c, Double failOnRegressionPct) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("base_run", c.baseRun());
        root.put("new_run", c.newRun());
        root.put("test", c.test().label());
        root.put("alpha", c.alpha());
        root.put("effect_size", "hedges_g");
        root.put("fail_on_regression_pct", failOnRegressionPct);
        ObjectNode system = root.putObject("system");
        ArrayNode changes = system.putArray("differences");
        c.system().changes().forEach(ch -> changes.addObject().put("host", ch.host()).put("field", ch.field())
                .put("base", ch.base()).put("new", ch.neu()));
        ArrayNode hardware = system.putArray("different_hardware");
        c.system().differentHardware().forEach(hardware::add);
        ArrayNode notRecorded = system.putArray("not_recorded");
        c.system().notRecorded().forEach(notRecorded::add);
        ArrayNode rows = root.putArray("rows");
        for (RunComparison.Row r : c.rows()) {
            Difference d = r.difference();
            ObjectNode o = rows.addObject();
            o.put("host", r.host());
            o.put("workload", r.series().workload());
            o.put("metric", r.series().metric());
            o.put("unit", r.series().unit());
            o.put("direction", r.series().direction());
            o.putObject("base").put("n", d.baseN()).put("mean", d.baseMean()).put("median", d.baseMedian());
            o.putObject("new").put("n", d.newN()).put("mean", d.newMean()).put("median", d.newMedian());
            o.put("change_pct", d.changePct());
            o.put("difference", d.difference());
            o.put("ci95_low", d.ciLow());
            o.put("ci95_high", d.ciHigh());
            o.put("hedges_g", d.hedgesG());
            o.put("test", d.test());
            o.put("p_value", d.pValue());
            o.put("verdict", d.verdict().label());
            o.put("significant", d.verdict().significant());
            o.put("outcome", r.outcome());
            o.put("regression", failOnRegressionPct != null && r.regressionBeyond(failOnRegressionPct));
        }
        return root;
    }
}

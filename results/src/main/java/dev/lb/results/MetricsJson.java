package dev.lb.results;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;

/** Metrics as the protocol carries them: {@code [{"name": ..., "value": ..., "unit": ...}]}, in their order. */
public final class MetricsJson {
    private MetricsJson() {
    }

    public static ArrayNode array(List<Metric> metrics) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (Metric m : metrics) {
            array.addObject().put("name", m.name()).put("value", m.value()).put("unit", m.unit().symbol());
        }
        return array;
    }
}

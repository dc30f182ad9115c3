package dev.lb.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import org.apache.commons.statistics.descriptive.DoubleStatistics;
import org.apache.commons.statistics.descriptive.Statistic;

/**
 * Adaptive repetitions: a host keeps running repetitions of a workload until the coefficient of variation (sample
 * standard deviation over the absolute mean) of one result metric, over the repetitions that ended done, is at most
 * {@code untilCv}, with at least {@code min} of them. The agent judges on the target, before each repetition, so a
 * host never waits for the controller or for the other hosts.
 *
 * @param min     repetitions that must have a value before the rule may say stable (at least 2: one value has no
 *                spread)
 * @param untilCv the bound, e.g. 0.05 for 5 %
 * @param metric  the result metric's name, as the parser names it (lb results parse shows the names)
 */
public record StabilityRule(int min, double untilCv, String metric) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public StabilityRule {
        if (min < 2) {
            throw new IllegalArgumentException("min must be at least 2 (one value has no spread), was " + min);
        }
        if (!(untilCv > 0) || Double.isInfinite(untilCv)) {
            throw new IllegalArgumentException("until_cv must be a number above 0, was " + untilCv);
        }
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("metric must name a result metric");
        }
    }

    /** What the rule says about the values so far. {@code cv} is null when it cannot be computed. */
    public record Verdict(boolean stable, int n, Double cv, String explanation) {
    }

    public Verdict judge(List<Double> values) {
        int n = values.size();
        if (n < 2) {
            return new Verdict(false, n, null, n + " value(s) of " + metric + ", the rule needs " + min);
        }
        DoubleStatistics s = DoubleStatistics.of(java.util.EnumSet.of(Statistic.MEAN, Statistic.STANDARD_DEVIATION),
                values.stream().mapToDouble(Double::doubleValue).toArray());
        double mean = s.getAsDouble(Statistic.MEAN);
        double sd = s.getAsDouble(Statistic.STANDARD_DEVIATION);
        if (mean == 0) {
            return new Verdict(false, n, null, "the mean of " + metric + " is 0, so its cv is undefined");
        }
        double cv = sd / Math.abs(mean);
        String figures = "cv of " + metric + " " + round(cv) + (cv <= untilCv ? " <= " : " > ") + round(untilCv)
                + " over " + n + " repetitions";
        if (n < min) {
            return new Verdict(false, n, cv, figures + "; the rule needs " + min);
        }
        return new Verdict(cv <= untilCv, n, cv, figures);
    }

    private static String round(double v) {
        return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** The rule as the agent receives it on its command line. */
    public String toJson() {
        return toJsonNode().toString();
    }

    public ObjectNode toJsonNode() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("min", min);
        o.put("until_cv", untilCv);
        o.put("metric", metric);
        return o;
    }

    /** Reads {@link #toJson}'s form; an IllegalArgumentException says what is wrong. */
    public static StabilityRule fromJson(String json) {
        JsonNode o;
        try {
            o = MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (o == null || !o.isObject() || !o.path("min").canConvertToInt() || !o.path("min").isIntegralNumber()
                || !o.path("until_cv").isNumber() || !o.path("metric").isTextual()) {
            throw new IllegalArgumentException("expected {\"min\": INT, \"until_cv\": NUMBER, \"metric\": \"NAME\"}");
        }
        return new StabilityRule(o.path("min").asInt(), o.path("until_cv").asDouble(), o.path("metric").asText());
    }
}

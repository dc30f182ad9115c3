package dev.lb.agent.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.agent.stream.Emitter;
import dev.lb.protocol.EventLevel;
import dev.lb.protocol.EventStatus;
import dev.lb.protocol.Json;
import dev.lb.results.Metric;
import dev.lb.results.ParsedResult;
import dev.lb.results.StabilityRule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Adaptive repetitions on this host: the rule, and the values of its metric from the earlier repetitions of this
 * workload that ended done, one JSON line each in a file of the host's run directory (each repetition is its own agent
 * process, so what the earlier ones measured lives on disk).
 *
 * <p>Nothing here can make a repetition look stable when it is not: a line that cannot be read is left out (and said),
 * so a damaged history only ever costs more repetitions.
 */
public final class Stability {
    private final StabilityRule rule;
    private final Path file;
    private final List<String> problems = new ArrayList<>();

    public Stability(StabilityRule rule, Path file) {
        this.rule = rule;
        this.file = file;
    }

    public StabilityRule rule() {
        return rule;
    }

    /** Before a measured repetition: the verdict on the earlier ones (problems reading them said as warnings). */
    public StabilityRule.Verdict before(Emitter emitter, String src) {
        List<Double> values = values();
        sayProblems(emitter, src);
        return rule.judge(values);
    }

    /**
     * After a repetition that ended done with a result: records its value of the metric for the repetitions that
     * follow and returns the verdict with it. Called before the final event, so that a failure to record is said
     * inside the seal. A result without the metric, or a value that cannot be recorded, does not count: a warning
     * says why, and the verdict is the earlier repetitions'.
     */
    public StabilityRule.Verdict after(ParsedResult result, int repetition, Emitter emitter, String src) {
        List<Double> values = new ArrayList<>(values());
        sayProblems(emitter, src);
        OptionalDouble value = valueIn(result);
        if (value.isEmpty()) {
            emitter.emit(src, EventStatus.RUNNING, b -> b.level(EventLevel.WARNING).message(missingFrom(result)));
            StabilityRule.Verdict earlier = rule.judge(values);
            return new StabilityRule.Verdict(false, earlier.n(), earlier.cv(), "the result has no metric '"
                    + rule.metric() + "'");
        }
        try {
            record(repetition, value.getAsDouble());
            values.add(value.getAsDouble());
        } catch (IOException e) {
            emitter.emit(src, EventStatus.RUNNING, b -> b.level(EventLevel.WARNING).message("until stable: cannot"
                    + " record this repetition's " + rule.metric() + " (" + e + "); it does not count towards"
                    + " stability"));
        }
        return rule.judge(values);
    }

    private void sayProblems(Emitter emitter, String src) {
        for (String problem : problems) {
            emitter.emit(src, EventStatus.RUNNING, b -> b.level(EventLevel.WARNING).message("until stable: " + problem));
        }
        problems.clear();
    }

    /** The values recorded so far, oldest first. Problems reading them are kept to be said. */
    List<Double> values() {
        List<Double> values = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return values;
        } catch (IOException e) {
            problems.add("cannot read " + file + " (" + e + "): the earlier repetitions are not counted");
            return values;
        }
        for (int i = 0; i < lines.size(); i++) {
            try {
                JsonNode v = Json.MAPPER.readTree(lines.get(i)).path("value");
                if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                    throw new IOException("no finite 'value'");
                }
                values.add(v.asDouble());
            } catch (IOException e) {
                problems.add(file + ":" + (i + 1) + ": unreadable (" + e.getMessage() + "), not counted");
            }
        }
        return values;
    }

    /** The rule's metric in a repetition's result, if it is there. */
    private OptionalDouble valueIn(ParsedResult result) {
        for (Metric m : result.metrics()) {
            if (m.name().equals(rule.metric())) {
                return OptionalDouble.of(m.value());
            }
        }
        return OptionalDouble.empty();
    }

    /** Why the metric is not in a result: the names that are, so that a misspelt name is seen at once. */
    private String missingFrom(ParsedResult result) {
        List<String> names = result.metrics().stream().map(Metric::name).toList();
        return "until stable: the result has no metric '" + rule.metric() + "' (it has " + (names.isEmpty() ? "none"
                : String.join(", ", names.size() > 20 ? names.subList(0, 20) : names) + (names.size() > 20
                ? ", ..." : "")) + "), so this repetition does not count towards stability and the repetitions run"
                + " to the maximum";
    }

    /** Adds a done repetition's value for the repetitions that follow. */
    private void record(int repetition, double value) throws IOException {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("repetition", repetition);
        line.put("value", value);
        Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /** What the final event says about stability: the rule, the count, the cv when there is one, the verdict. */
    public ObjectNode toJson(StabilityRule.Verdict v) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("metric", rule.metric());
        o.put("until_cv", rule.untilCv());
        o.put("min", rule.min());
        o.put("n", v.n());
        if (v.cv() != null) {
            o.put("cv", v.cv());
        }
        o.put("stable", v.stable());
        o.put("explanation", v.explanation());
        return o;
    }
}

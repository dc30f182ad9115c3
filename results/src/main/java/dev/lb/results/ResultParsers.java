package dev.lb.results;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The parsers by the names users give them ({@code parser: fio} in a workload, {@code --parser fio}), and the one
 * place that says, per parser, which way each metric should move and which metric is a workload's primary one.
 */
public final class ResultParsers {
    private static final Map<String, ResultParser> BY_NAME = index(
            new StressNgYamlParser(), new FioJsonParser(), new SysbenchTextParser(), new K6SummaryParser());

    private ResultParsers() {
    }

    public static Optional<ResultParser> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The known names, sorted. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /**
     * Which way a change of {@code metric} in {@code unit} is an improvement: {@code wall_time} in seconds is lower
     * is better; a tool's parser decides for its metrics; anything else (declared metrics, a parser not named) goes by
     * its unit.
     */
    public static Unit.Direction direction(String parser, String metric, Unit unit) {
        if (metric.equals(WallTime.METRIC) && unit == Unit.S) {
            return Unit.Direction.LOWER_IS_BETTER;
        }
        ResultParser p = parser == null ? null : BY_NAME.get(parser);
        return p == null ? unit.direction() : p.direction(metric, unit);
    }

    /**
     * A workload's primary metric among {@code metrics} (names in the order its results gave them), as read by
     * {@code parser}: the tool parser's choice; for a {@code command} workload (declared metrics, or no parser) its
     * first declared metric, else {@code wall_time}. Empty when there is none.
     */
    public static Optional<String> primary(String parser, List<String> metrics) {
        ResultParser p = parser == null ? null : BY_NAME.get(parser);
        if (p != null) {
            return p.primary(metrics);
        }
        Optional<String> declared = metrics.stream().filter(m -> !m.equals(WallTime.METRIC)).findFirst();
        return declared.isPresent() ? declared : metrics.stream().filter(WallTime.METRIC::equals).findFirst();
    }

    private static Map<String, ResultParser> index(ResultParser... parsers) {
        Map<String, ResultParser> m = new TreeMap<>();
        for (ResultParser p : parsers) {
            m.put(p.name(), p);
        }
        return Collections.unmodifiableMap(m);
    }
}

package dev.lb.results;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The parsers by the names users give them ({@code parser: fio} in a workload, {@code --parser fio}). */
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

    private static Map<String, ResultParser> index(ResultParser... parsers) {
        Map<String, ResultParser> m = new TreeMap<>();
        for (ResultParser p : parsers) {
            m.put(p.name(), p);
        }
        return Collections.unmodifiableMap(m);
    }
}

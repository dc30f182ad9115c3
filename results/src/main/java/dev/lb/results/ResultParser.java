package dev.lb.results;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Reads one benchmark tool's result file into metrics. Implementations are stateless. */
public interface ResultParser {
    /** The name users give it: {@code stress-ng}, {@code fio}, {@code sysbench}, {@code k6}. */
    String name();

    /**
     * The metrics in {@code file}; at least one, or an exception that says what was wrong (never an empty result,
     * never a partial one passed off as whole).
     */
    ParsedResult parse(Path file) throws ResultParseException;

    /**
     * Which way a change of {@code metric} is an improvement. The unit's direction unless the parser knows better:
     * a share of failed requests is a percentage (no direction by unit) that should go down, and a run time fixed by
     * the tool's own {@code --timeout} is seconds that say nothing about speed.
     */
    default Unit.Direction direction(String metric, Unit unit) {
        return unit.direction();
    }

    /**
     * The one metric that answers "did it get faster?" among {@code metrics} (the names this parser gave, in its
     * order), or empty when none of them does. {@code lb compare} gives a verdict on this metric only, so that eight
     * metrics of one workload are not eight chances of a false alarm.
     */
    Optional<String> primary(List<String> metrics);
}

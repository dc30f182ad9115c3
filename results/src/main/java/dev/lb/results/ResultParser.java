package dev.lb.results;

import java.nio.file.Path;

/** Reads one benchmark tool's result file into metrics. Implementations are stateless. */
public interface ResultParser {
    /** The name users give it: {@code stress-ng}, {@code fio}, {@code sysbench}, {@code k6}. */
    String name();

    /**
     * The metrics in {@code file}; at least one, or an exception that says what was wrong (never an empty result,
     * never a partial one passed off as whole).
     */
    ParsedResult parse(Path file) throws ResultParseException;
}

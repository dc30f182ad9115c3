package dev.lb.agent.run;

import java.nio.file.Path;

/** Where a repetition's numbers are read from once it has ended. */
public sealed interface ResultSource {
    /** The copy of stdout this source reads, or null when it reads a file the tool writes itself. */
    default Path stdoutCopy() {
        return null;
    }

    /** A result file the tool writes (stress-ng's YAML, fio's JSON, k6's summary), read by the named parser. */
    record ToolFile(String parser, Path file) implements ResultSource {
    }

    /** The tool's text output (sysbench), copied from stdout into {@code copy} and read by the named parser. */
    record ToolOutput(String parser, Path copy) implements ResultSource {
        @Override
        public Path stdoutCopy() {
            return copy;
        }
    }

    /**
     * The metrics a {@code command} workload declares: JSON (an array of {name, unit, regex} or {name, unit, file,
     * pointer}), matched against the copy of stdout or read from the files named.
     */
    record Declared(String declarationJson, Path copy) implements ResultSource {
        @Override
        public Path stdoutCopy() {
            return copy;
        }
    }
}

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
     * A {@code command} workload's numbers: its wall time, measured by the agent, always; and the metrics it declares
     * when it declares any ({@code declarationJson}: a JSON array of {name, unit, regex} or {name, unit, file,
     * pointer}, matched against the copy of stdout in {@code copy} or read from the files named; null when none).
     */
    record Command(String declarationJson, Path copy) implements ResultSource {
        /** Only the wall time: the command declares no metrics of its own. */
        public static Command timedOnly() {
            return new Command(null, null);
        }

        @Override
        public Path stdoutCopy() {
            return declarationJson == null ? null : copy;
        }
    }
}

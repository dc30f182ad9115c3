package dev.lb.agent.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What to run for one repetition. */
public sealed interface WorkloadSpec {
    /** The process to start: argv, working directory, environment additions. */
    List<String> argv();

    Path workingDir();

    Map<String, String> env();

    /** How the repetition's numbers are read after it: every workload has some (a command, at least its wall time). */
    ResultSource results();

    /** Any command, given as argv: never through a shell; timed, and its declared metrics read, by {@code results}. */
    record Command(List<String> argv, Path workingDir, Map<String, String> env, ResultSource results)
            implements WorkloadSpec {
    }

    /**
     * A benchmark tool lb knows (stress-ng, fio, sysbench): the user's arguments, plus what makes the tool write its
     * numbers where the parser reads them. The user's arguments come first, so the tool sees ours last.
     */
    record Tool(String tool, String binary, List<String> args, Path resultFile, Path workingDir,
                Map<String, String> env) implements WorkloadSpec {
        @Override
        public List<String> argv() {
            List<String> argv = new java.util.ArrayList<>();
            argv.add(binary);
            argv.addAll(args);
            switch (tool) {
                case "stress-ng" -> argv.addAll(List.of("--metrics", "--yaml", resultFile.toString()));
                case "fio" -> argv.addAll(List.of("--output-format=json", "--output=" + resultFile));
                case "sysbench" -> { } // its results are its text output, copied from stdout
                default -> throw new IllegalStateException("not a tool lb knows: " + tool);
            }
            return argv;
        }

        @Override
        public ResultSource results() {
            return tool.equals("sysbench") ? new ResultSource.ToolOutput(tool, resultFile)
                    : new ResultSource.ToolFile(tool, resultFile);
        }
    }

    /**
     * {@code k6 run} on a script, with its log written to {@code logFile} (followed while k6 runs) and its summary
     * exported to {@code summaryFile}.
     */
    record K6(String binary, Path script, String configId, List<String> extraArgs, Path logFile, Path summaryFile,
              Path workingDir, Map<String, String> env) implements WorkloadSpec {

        @Override
        public ResultSource results() {
            return new ResultSource.ToolFile("k6", summaryFile);
        }

        /** The emitter name k6 events carry. */
        public String src() {
            return "k6[" + configId + "]";
        }

        @Override
        public List<String> argv() {
            List<String> argv = new java.util.ArrayList<>();
            argv.add(binary);
            argv.add("run");
            argv.add("--log-output=file=" + logFile);
            argv.add("--summary-export=" + summaryFile);
            argv.addAll(extraArgs);
            argv.add(script.toString());
            return argv;
        }
    }
}

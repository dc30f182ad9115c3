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

    /** Any command, given as argv: never through a shell. */
    record Command(List<String> argv, Path workingDir, Map<String, String> env) implements WorkloadSpec {
    }

    /**
     * {@code k6 run} on a script, with its log written to {@code logFile} (followed while k6 runs) and its summary
     * exported to {@code summaryFile}.
     */
    record K6(String binary, Path script, String configId, List<String> extraArgs, Path logFile, Path summaryFile,
              Path workingDir, Map<String, String> env) implements WorkloadSpec {

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

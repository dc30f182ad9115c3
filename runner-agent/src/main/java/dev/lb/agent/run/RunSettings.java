package dev.lb.agent.run;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the agent runs a repetition, independent of what it runs.
 *
 * @param runDir      the private per-run directory: stream file, pid, status, STOP, k6 log
 * @param streamFile  where events are appended
 * @param timeout     the repetition's time limit; null for none
 * @param grace       how long the workload gets between TERM and KILL
 * @param maxLineBytes longer output lines are truncated (and marked)
 * @param stopPoll    how often the STOP file and the time-out are checked
 * @param metricsInterval how often system metrics are sampled while the workload runs; zero: never
 * @param nice        the workload's scheduling priority (-20 to 19); null: the agent's own
 * @param cpus        the CPUs the workload runs on (a CPU list); null: the agent's own
 */
public record RunSettings(Path runDir, Path streamFile, Duration timeout, Duration grace, int maxLineBytes,
                          Duration stopPoll, Duration metricsInterval, Integer nice, String cpus) {
    public static final String STOP_FILE = "STOP";
    public static final String PID_FILE = "agent.pid";

    public Path stopFile() {
        return runDir.resolve(STOP_FILE);
    }

    public Path pidFile() {
        return runDir.resolve(PID_FILE);
    }
}

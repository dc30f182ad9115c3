package dev.lb.agent.cli;

import dev.lb.agent.run.RunSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts the agent again in a new session ({@code setsid}), stdin from /dev/null and output appended to
 * {@code agent.log} in the run directory, so it outlives the SSH session that started it and never blocks on a
 * closed terminal. Returns once the detached agent has written its pid file, or reports why it did not start.
 */
final class Detacher {
    static final String LOG_FILE = "agent.log";
    private static final long START_TIMEOUT_MS = 30_000;

    private Detacher() {
    }

    static int detach(Path runDir, List<String> originalArgs, PrintWriter err) throws IOException, InterruptedException {
        Path pidFile = runDir.resolve(RunSettings.PID_FILE);
        Files.deleteIfExists(pidFile);
        Path log = runDir.resolve(LOG_FILE);
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(withoutDetach(afterSubcommand(originalArgs)));
        Process child = startDetached(args, "-Xmx256m", log);
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            Optional<Long> pid = readPid(pidFile);
            if (pid.isPresent() && ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive).orElse(false)) {
                err.println("lb-agent: running detached as pid " + pid.get() + " (log: " + log + ")");
                return AgentCommand.DONE;
            }
            if (!child.isAlive()) {
                if (pid.isPresent()) {
                    err.println("lb-agent: the detached agent (pid " + pid.get() + ") already finished, rc "
                            + child.exitValue());
                    return AgentCommand.DONE;
                }
                err.println("lb-agent: the detached agent exited with " + child.exitValue()
                        + " before it was running; last lines of " + log + ":");
                tail(log).forEach(l -> err.println("  " + l));
                return child.exitValue() == 0 ? AgentCommand.FAILED : child.exitValue();
            }
            Thread.sleep(20);
        }
        err.println("lb-agent: the detached agent did not write " + pidFile + " within " + START_TIMEOUT_MS / 1000
                + " s; see " + log);
        return AgentCommand.FAILED;
    }

    /**
     * Starts the agent again, with {@code agentArgs}, in a new session (setsid), stdin from /dev/null and output
     * appended to {@code log}: detached from the caller's terminal and SSH session. Used by {@code run --detach} and
     * {@code container-events --daemon}, which each wait for their own sign of life.
     */
    static Process startDetached(List<String> agentArgs, String maxHeap, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        for (String s : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
            if (Files.isExecutable(Path.of(s))) {
                cmd.add(s);
                break;
            }
        }
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(List.of("-XX:+UseSerialGC", maxHeap, "-cp", System.getProperty("java.class.path"),
                AgentMain.class.getName()));
        cmd.addAll(agentArgs);
        Files.createDirectories(log.toAbsolutePath().getParent());
        return new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true)
                .start();
    }

    /** Picocli's original arguments start at the top command; the copy gets the run command's own. */
    static List<String> afterSubcommand(List<String> args) {
        int i = args.indexOf("run");
        return i < 0 ? args : args.subList(i + 1, args.size());
    }

    /** Drops {@code --detach} from the options, never from the workload's own argv after {@code --}. */
    static List<String> withoutDetach(List<String> args) {
        List<String> out = new ArrayList<>();
        boolean inArgv = false;
        for (String a : args) {
            if (!inArgv && a.equals("--detach")) {
                continue;
            }
            if (a.equals("--")) {
                inArgv = true;
            }
            out.add(a);
        }
        return out;
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            String text = Files.readString(pidFile, StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            // Written atomically, so a partial read is impossible; an unreadable file is retried until the deadline.
            return Optional.empty();
        }
    }

    private static List<String> tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.subList(Math.max(0, lines.size() - 10), lines.size());
        } catch (IOException e) {
            return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
        }
    }
}

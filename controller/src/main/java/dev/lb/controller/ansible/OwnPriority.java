package dev.lb.controller.ansible;

import dev.lb.controller.config.RunConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * lb out of the way of what it measures. On a local target ({@code connection: local}) the controller and
 * ansible-playbook run on the machine under test, so for the run lb lowers their CPU priority to nice 10 (an ordinary
 * priority, not the idle class, which could starve the polls under a CPU-bound workload). Niceness is inherited: the
 * agent, started by ansible-playbook, would inherit it too, and only root can raise it back. So:
 * <ul>
 *   <li>as root, every thread of the controller goes to nice 10, ansible-playbook inherits it, and the agent is
 *       started at nice 0 again ({@code lb_agent_nice} in the extra vars);</li>
 *   <li>as another user, every thread of the controller but the one that starts ansible-playbook goes to nice 10,
 *       so ansible-playbook, the agent and the workload keep their priority.</li>
 * </ul>
 * {@code LB_LOCAL_NICE=N} chooses another niceness (1 to 19); 0 turns this off.
 *
 * @param nice      the niceness lb's own threads get; 0: nothing is lowered
 * @param playbooks whether ansible-playbook runs at it too (then the agent is raised back to 0)
 * @param why       one line saying what was decided and why, for the user
 */
public record OwnPriority(int nice, boolean playbooks, String why) {
    public static final String ENV = "LB_LOCAL_NICE";
    public static final int DEFAULT_NICE = 10;

    public static OwnPriority decide(RunConfig config) {
        return decide(config, System.getenv(ENV), isRoot());
    }

    static OwnPriority decide(RunConfig config, String env, boolean root) {
        List<String> local = config.targets().hosts() == null ? List.of() : config.targets().hosts().stream()
                .filter(h -> h.connection().equals("local")).map(RunConfig.Host::name).toList();
        if (local.isEmpty()) {
            return new OwnPriority(0, false, null);
        }
        int nice = DEFAULT_NICE;
        if (env != null && !env.isBlank()) {
            try {
                nice = Integer.parseInt(env.trim());
            } catch (NumberFormatException e) {
                nice = -1;
            }
            if (nice < 0 || nice > 19) {
                return new OwnPriority(0, false, ENV + "=" + env + " is not 0 to 19: lb keeps its priority on"
                        + " this machine");
            }
        }
        if (nice == 0) {
            return new OwnPriority(0, false, null);
        }
        String hosts = String.join(", ", local);
        return root ? new OwnPriority(nice, true, "a local target (" + hosts + "): lb and ansible-playbook run at"
                + " nice " + nice + " on this machine, the agents at 0")
                : new OwnPriority(nice, false, "a local target (" + hosts + "): lb's threads run at nice " + nice
                + " on this machine; ansible-playbook keeps its priority (only root could give the agents theirs back)");
    }

    /** Extra vars for the role: the niceness the agents start at, when ansible-playbook was lowered. */
    void addTo(com.fasterxml.jackson.databind.node.ObjectNode vars) {
        if (playbooks) {
            vars.put("lb_agent_nice", 0);
        }
    }

    /**
     * Lowers this JVM's threads (all but the calling one, unless {@link #playbooks}: the caller then starts
     * ansible-playbook at its own priority). Returns why it could not, or null.
     */
    public String apply() {
        if (nice == 0) {
            return null;
        }
        List<String> argv = new ArrayList<>(List.of("renice", "-n", Integer.toString(nice), "-p"));
        try {
            String self = playbooks ? null : Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName()
                    .toString();
            try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                tasks.map(t -> t.getFileName().toString()).filter(t -> !t.equals(self)).forEach(argv::add);
            }
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "renice did not finish in 10 s";
            }
            // A thread that ended between the listing and renice is "No such process": not a failure of the rest.
            List<String> errors = out.lines().filter(l -> !l.contains("No such process")
                    && !l.contains("old priority")).toList();
            return p.exitValue() == 0 || errors.isEmpty() ? null : "renice exited " + p.exitValue() + ": "
                    + String.join("; ", errors);
        } catch (IOException e) {
            return "renice could not run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Effective uid 0, from /proc (no API for it in Java 17). */
    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}

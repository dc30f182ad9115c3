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
 * {@code LB_LOCAL_NICE=N} chooses another niceness (1 to 19); 0 turns this off. When workloads name their CPUs
 * ({@code cpus:}), lb's threads, and so ansible-playbook and the agents they start, run on the other CPUs (the agent
 * puts the workload on its own); when they name every CPU, lb says it cannot keep off them.
 *
 * @param nice      the niceness lb's own threads get; 0: nothing is lowered
 * @param playbooks whether ansible-playbook runs at it too (then the agent is raised back to 0)
 * @param onCpus    the CPUs lb's threads are kept on (a CPU list), or null
 * @param why       one line saying what was decided and why, for the user
 */
public record OwnPriority(int nice, boolean playbooks, String onCpus, String why) {
    public static final String ENV = "LB_LOCAL_NICE";
    public static final int DEFAULT_NICE = 10;

    public static OwnPriority decide(RunConfig config) {
        return decide(config, System.getenv(ENV), isRoot(), allowedCpus());
    }

    static OwnPriority decide(RunConfig config, String env, boolean root, java.util.SortedSet<Integer> allowed) {
        List<String> local = config.targets().hosts() == null ? List.of() : config.targets().hosts().stream()
                .filter(h -> h.connection().equals("local")).map(RunConfig.Host::name).toList();
        if (local.isEmpty()) {
            return new OwnPriority(0, false, null, null);
        }
        java.util.SortedSet<Integer> workloadCpus = new java.util.TreeSet<>();
        config.workloads().stream().filter(w -> w.cpus() != null)
                .forEach(w -> workloadCpus.addAll(dev.lb.protocol.WorkloadPlan.cpuSet(w.cpus())));
        String onCpus = null;
        String cpuNote = "";
        if (!workloadCpus.isEmpty()) {
            java.util.SortedSet<Integer> rest = new java.util.TreeSet<>(allowed);
            rest.removeAll(workloadCpus);
            if (rest.isEmpty()) {
                cpuNote = "; the workloads' CPUs (" + list(workloadCpus) + ") are all this machine lets lb use, so lb"
                        + " cannot keep off them";
            } else {
                onCpus = list(rest);
                cpuNote = "; lb keeps to CPUs " + onCpus + ", off the workloads' " + list(workloadCpus);
            }
        }
        OwnPriority p = decideNice(local, env, root);
        String why = p.why() == null ? (cpuNote.isEmpty() ? null : "a local target (" + String.join(", ", local)
                + ")" + cpuNote) : p.why() + cpuNote;
        return new OwnPriority(p.nice(), p.playbooks(), onCpus, why);
    }

    private static OwnPriority decideNice(List<String> local, String env, boolean root) {
        int nice = DEFAULT_NICE;
        if (env != null && !env.isBlank()) {
            try {
                nice = Integer.parseInt(env.trim());
            } catch (NumberFormatException e) {
                nice = -1;
            }
            if (nice < 0 || nice > 19) {
                return new OwnPriority(0, false, null, ENV + "=" + env + " is not 0 to 19: lb keeps its priority"
                        + " on this machine");
            }
        }
        if (nice == 0) {
            return new OwnPriority(0, false, null, null);
        }
        String hosts = String.join(", ", local);
        return root ? new OwnPriority(nice, true, null, "a local target (" + hosts + "): lb and ansible-playbook run"
                + " at nice " + nice + " on this machine, the agents at 0")
                : new OwnPriority(nice, false, null, "a local target (" + hosts + "): lb's threads run at nice " + nice
                + " on this machine; ansible-playbook keeps its priority (only root could give the agents theirs back)");
    }

    /** "0-1,4" from {0, 1, 4}. */
    static String list(java.util.SortedSet<Integer> cpus) {
        List<String> parts = new ArrayList<>();
        Integer from = null;
        Integer prev = null;
        for (int c : cpus) {
            if (prev != null && c == prev + 1) {
                prev = c;
                continue;
            }
            if (from != null) {
                parts.add(from.equals(prev) ? from.toString() : from + "-" + prev);
            }
            from = c;
            prev = c;
        }
        if (from != null) {
            parts.add(from.equals(prev) ? from.toString() : from + "-" + prev);
        }
        return String.join(",", parts);
    }

    /** The CPUs this process may run on (Cpus_allowed_list in /proc/self/status), or every online one. */
    static java.util.SortedSet<Integer> allowedCpus() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return dev.lb.protocol.WorkloadPlan.cpuSet(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through: the processor count is a fair answer where /proc says nothing readable
        }
        java.util.SortedSet<Integer> all = new java.util.TreeSet<>();
        for (int c = 0; c < Runtime.getRuntime().availableProcessors(); c++) {
            all.add(c);
        }
        return all;
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
        String problem = nice == 0 ? null : lower();
        String affinity = onCpus == null ? null : keepToCpus();
        return problem == null ? affinity : affinity == null ? problem : problem + "; " + affinity;
    }

    /** Every thread of this JVM onto {@link #onCpus}: what it starts later (ansible-playbook) inherits it. */
    private String keepToCpus() {
        try {
            Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", onCpus,
                    Long.toString(ProcessHandle.current().pid())).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "taskset did not finish in 10 s";
            }
            return p.exitValue() == 0 ? null : "taskset exited " + p.exitValue() + ": " + out.lines()
                    .filter(l -> !l.contains("affinity")).findFirst().orElse(out);
        } catch (IOException e) {
            return "taskset could not run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private String lower() {
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

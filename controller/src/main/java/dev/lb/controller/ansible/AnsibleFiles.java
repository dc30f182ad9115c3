package dev.lb.controller.ansible;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.controller.config.RunConfig;
import dev.lb.controller.config.TargetTools;
import dev.lb.protocol.Json;
import dev.lb.protocol.WorkloadPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The files a run hands to ansible-playbook, written into the run directory: the inventory (inline hosts become
 * inventory.yml, written as JSON, which YAML reads and which needs no quoting rules of its own) and the extra
 * vars (vars.json, passed as -e @file so no value ever goes through a command line).
 */
public final class AnsibleFiles {
    public static final String GROUP = "lb_targets";

    private AnsibleFiles() {
    }

    /**
     * What was written: the inventory, the extra vars, the run's hosts (only those of {@code lb run --limit} when one
     * was given), the play's host pattern, and the arguments that hold every playbook of the run to those hosts (none
     * without a limit).
     */
    public record Written(Path inventory, Path vars, List<String> hosts, String hostPattern, List<String> limitArgs) {
    }

    /** The file listing a limited run's hosts, one per line, handed to ansible-playbook as {@code --limit @FILE}. */
    public static final String LIMIT_FILE = "limit-hosts.txt";

    public static Written write(RunConfig config, String runId, String attempt, Path runDir, Installation install)
            throws IOException, InterruptedException {
        Path inventory;
        List<String> all;
        if (config.targets().inventory() != null) {
            inventory = config.targets().inventory().toAbsolutePath();
            all = hostsOf(inventory);
        } else {
            inventory = runDir.resolve("inventory.yml");
            writeInventory(config, inventory);
            all = config.targets().hosts().stream().map(RunConfig.Host::name).toList();
        }
        String pattern = playPattern(config);
        List<String> hosts = all;
        List<String> limitArgs = List.of();
        if (config.limit() != null) {
            hosts = all.stream().filter(config.limit().hosts()::contains).toList();
            if (!hosts.containsAll(config.limit().hosts())) {
                throw new IOException("the inventory changed after --limit was checked: "
                        + String.join(", ", config.limit().hosts()) + " selected, but the inventory now has "
                        + String.join(", ", all));
            }
            Path file = runDir.resolve(LIMIT_FILE);
            Files.write(file, hosts, StandardCharsets.UTF_8);
            limitArgs = List.of("--limit", "@" + file);
        }
        Path vars = runDir.resolve("vars.json");
        Files.writeString(vars, Json.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsString(extraVars(config, runId, attempt, runDir, install, pattern)), StandardCharsets.UTF_8);
        return new Written(inventory, vars, hosts, pattern, limitArgs);
    }

    /** The host pattern of every play of the run: all of an inventory file's hosts, or the group of the inline ones. */
    public static String playPattern(RunConfig config) {
        return config.targets().inventory() != null ? "all" : GROUP;
    }

    /** The inline hosts of {@code config} as an inventory file (JSON, which is YAML too) at {@code file}. */
    public static void writeInventory(RunConfig config, Path file) throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode hostsNode = root.putObject(GROUP).putObject("hosts");
        for (RunConfig.Host h : config.targets().hosts()) {
            ObjectNode v = hostsNode.putObject(h.name());
            v.put("ansible_connection", h.connection());
            if (h.address() != null) {
                v.put("ansible_host", h.address());
            }
            if (h.port() != null) {
                v.put("ansible_port", h.port());
            }
            if (h.user() != null) {
                v.put("ansible_user", h.user());
            }
            if (h.sshKey() != null) {
                v.put("ansible_ssh_private_key_file", h.sshKey().toString());
            }
            v.put("ansible_python_interpreter", h.python() != null ? h.python()
                    : h.connection().equals("local") ? pythonForLocal() : "auto_silent");
        }
        Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root),
                StandardCharsets.UTF_8);
    }

    static ObjectNode extraVars(RunConfig c, String runId, String attempt, Path runDir, Installation install,
                                String pattern) {
        ObjectNode v = Json.MAPPER.createObjectNode();
        v.put("lb_run_id", runId);
        v.put("lb_attempt", attempt);
        v.put("lb_keep_target_dirs", c.targets().keepTargetDirs());
        v.put("lb_wait_for_targets_s", c.timeouts().waitForTargetsS());
        v.put("lb_controller_host", controllerHost());
        // Recorded in the lease only where the target's module runs below this process (a local target): a later run
        // on this machine can then tell, in the same PID namespace, that this controller is gone.
        v.put("lb_controller_pid", ProcessHandle.current().pid());
        v.put("lb_lease_id", leaseId());
        v.put("lb_hosts", pattern);
        v.put("lb_target_root", c.targets().targetRoot());
        v.put("lb_agent_jar", install.agentJar().toString());
        v.put("lb_agent_jar_sha256", agentJarSha256(install));
        v.put("lb_controller_run_dir", runDir.toString());
        // Warm-up repetitions come first and are numbered like the others; the agent marks their events.
        v.put("lb_repetitions", c.totalRepetitions());
        v.put("lb_warmup", c.repetitions().warmup());
        if (c.repetitions().untilStable() != null) {
            // Adaptive repetitions: the agent judges each measured repetition against this rule.
            v.set("lb_until_stable", c.repetitions().untilStable().toJsonNode());
        }
        v.put("lb_cooldown_s", c.repetitions().cooldownS());
        v.put("lb_poll_interval_s", c.polling().intervalS());
        v.put("lb_poll_batch_s", c.polling().batchS());
        // A poll whose SSH connection fails is sent again on a new connection for this long (the action plugin).
        v.put("lb_unreachable_retry_s", c.timeouts().unreachableRetryS());
        // sync: every host starts repetition r together (a barrier per repetition, Ansible's linear strategy).
        v.put("lb_strategy", c.repetitions().sync() ? "linear" : "free");
        v.put("lb_rep_timeout_s", c.timeouts().repetitionS());
        OwnPriority.decide(c).addTo(v);
        v.put("lb_install_java", c.targets().installJava());
        v.put("lb_install_tools", c.targets().installTools());
        // In base64 like the plans: Ansible templates the strings of an extra var when it is read, and these hold the
        // programs and paths the user wrote (the modules and the filter decode it).
        List<TargetTools.Tool> tools = TargetTools.of(c);
        v.put("lb_tools", java.util.Base64.getEncoder().encodeToString(
                Json.line(TargetTools.asJson(tools)).getBytes(StandardCharsets.UTF_8)));
        v.put("lb_tool_count", tools.size());
        if (c.containers() != null) {
            // The arguments of lb-agent container-events, ready for the role to pass as argv.
            ArrayNode args = v.putObject("lb_containers").putArray("args");
            c.containers().namespaces().forEach(ns -> args.add("--namespace").add(ns));
            if (c.containers().idPattern() != null) {
                args.add("--id-pattern").add(c.containers().idPattern());
            }
            c.containers().track().forEach(t -> args.add("--track").add(t));
            c.containers().ctr().forEach(a -> args.add("--ctr").add(a));
            if (c.containers().artifactsDir() != null) {
                args.add("--artifacts-dir").add(c.containers().artifactsDir());
            }
        }
        // The workloads' plans as the agent reads them, in base64: the role copies them into a file on the target
        // without templating, so a user's "{{ }}" in an argument never reaches Jinja. The role loops over the names.
        v.put("lb_plans", WorkloadPlan.toBase64(c.workloads()));
        v.put("lb_plans_file", WorkloadPlan.FILE);
        ArrayNode workloads = v.putArray("lb_workloads");
        c.workloads().forEach(w -> workloads.addObject().put("name", w.name()));
        return v;
    }

    /** The jar's sha256, or "" when it cannot be read: the copy of the jar at setup then fails, naming the file. */
    private static String agentJarSha256(Installation install) {
        try {
            return install.agentJarSha256();
        } catch (IOException e) {
            return "";
        }
    }

    /** An id only this run knows: the targets' leases keep its sha256 and are this run's when it matches. */
    static String leaseId() {
        byte[] b = new byte[16];
        new java.security.SecureRandom().nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    /** This machine's name, for the lock a run holds on its targets (a second run is told who holds them). */
    private static String controllerHost() {
        try {
            // The kernel's node name: what Python's socket.gethostname() says on a local target.
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
    }

    /** Local targets run the modules with the system python3, which is what ansible-core is installed for. */
    private static String pythonForLocal() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "auto_silent";
    }

    /** The hosts of an existing inventory, as ansible-inventory sees them. */
    public static List<String> hostsOf(Path inventory) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ansible-inventory", "-i", inventory.toString(), "--list")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ansible-inventory could not read " + inventory);
        }
        List<String> hosts = new ArrayList<>();
        Json.MAPPER.readTree(out).path("_meta").path("hostvars").fieldNames().forEachRemaining(hosts::add);
        return hosts;
    }
}

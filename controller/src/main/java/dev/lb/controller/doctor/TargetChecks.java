package dev.lb.controller.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.controller.ansible.AnsibleFiles;
import dev.lb.controller.ansible.AnsibleLocator;
import dev.lb.controller.ansible.AnsibleProcess;
import dev.lb.controller.ansible.Installation;
import dev.lb.controller.config.RunConfig;
import dev.lb.protocol.Json;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Each target of a config, through the doctor playbook: reachable, Python, Java >= 17, a writable run directory, the
 * agent copied and started, each program the workloads run ({@link ToolChecks}). One line per check per host, with
 * what to do about a failure.
 */
public final class TargetChecks {
    private TargetChecks() {
    }

    public static List<Check> run(RunConfig config, Installation install, Path ansiblePlaybook, Path scratch)
            throws IOException, InterruptedException {
        Files.createDirectories(scratch.resolve("results"));
        Files.createDirectories(scratch.resolve("ansible-tmp"));
        AnsibleFiles.Written files = AnsibleFiles.write(config, "doctor", "0", scratch, install);
        var vars = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(files.vars().toFile());
        vars.put("lb_doctor_dir", scratch.resolve("results").toString());
        Files.writeString(files.vars(), vars.toString());
        Map<String, String> env = Map.of("ANSIBLE_CONFIG", install.ansibleConfig().toString(), "LC_ALL", "C.UTF-8",
                "ANSIBLE_LOCAL_TEMP", scratch.resolve("ansible-tmp").toString(),
                "ANSIBLE_HOST_KEY_CHECKING", config.targets().testTargets() ? "False" : "True");
        AnsibleProcess p = AnsibleProcess.start(
                new AnsibleProcess.Guard(AnsibleLocator.pythonOf(ansiblePlaybook), install.guardScript(),
                        scratch.resolve("doctor-guard.log")),
                List.of(ansiblePlaybook.toString(), "-i", files.inventory().toString(),
                "-e", "@" + files.vars(), install.playbook("doctor.yml").toString()), env, scratch.toFile(),
                Files.newOutputStream(scratch.resolve("doctor-ansible.log")),
                Files.newOutputStream(scratch.resolve("doctor-guard.log")));
        if (p.waitFor(Duration.ofMinutes(10)) == null) {
            p.endNow(Duration.ofSeconds(2));
        }
        List<Check> checks = new ArrayList<>();
        for (String host : files.hosts()) {
            Path result = scratch.resolve("results").resolve(host + ".json");
            if (!Files.exists(result)) {
                checks.add(Check.fail(host, "no result from the doctor playbook",
                        "see " + scratch.resolve("doctor-ansible.log")));
                continue;
            }
            checks.addAll(forHost(host, Json.MAPPER.readTree(result.toFile()), config));
        }
        return checks;
    }

    static List<Check> forHost(String host, JsonNode r, RunConfig config) {
        List<Check> c = new ArrayList<>();
        if (!r.path("reachable").asBoolean()) {
            c.add(Check.fail(host + " reachable", "no: " + r.path("ping").asText(""),
                    "check the address, port, user and key in the config, and that sshd runs there"));
            return c;
        }
        c.add(Check.ok(host + " reachable", "yes"));
        if (!r.path("python").asBoolean()) {
            c.add(Check.fail(host + " python", "Ansible modules do not run: " + r.path("ping").asText(""),
                    "install python3 on the target (apt-get install python3) or set python: in the config"));
            return c;
        }
        c.add(Check.ok(host + " python", "yes"));
        int major = r.path("java_major").asInt();
        if (major >= 17) {
            c.add(Check.ok(host + " java", r.path("java_version").asText()));
        } else {
            c.add(Check.fail(host + " java", major == 0 ? "no Java found" : "Java " + major + " is older than 17",
                    config.targets().installJava() ? "lb installs it at setup (install_java: true)"
                            : "apt-get install openjdk-17-jre-headless there, or set targets.install_java: true"));
        }
        if (r.path("dir").isNull() || r.path("dir").asText().isEmpty()) {
            c.add(Check.fail(host + " run directory", "cannot create it: " + r.path("dir_error").asText(),
                    "make " + config.targets().targetRoot() + " writable for the SSH user, or set targets.target_root"));
            c.addAll(ToolChecks.forHost(host, r, config));
            return c;
        }
        c.add(Check.ok(host + " run directory", "writable (" + r.path("dir").asText() + ")"));
        if (!r.path("copy_ok").asBoolean()) {
            c.add(Check.fail(host + " agent", "cannot be copied: " + r.path("copy_error").asText(), "check free disk space"));
        } else if (r.path("agent_rc").asInt(-1) != 0) {
            c.add(Check.fail(host + " agent", "does not start: " + r.path("agent_out").asText(),
                    "a Java 17 runtime is needed for the agent"));
        } else {
            c.add(Check.ok(host + " agent", "deploys and starts (" + r.path("agent_out").asText().trim() + ")"));
        }
        c.addAll(ToolChecks.forHost(host, r, config));
        return c;
    }
}

package dev.lb.controller.doctor;

import dev.lb.controller.ingest.CallbackRecord;
import dev.lb.controller.ansible.AnsibleLocator;
import dev.lb.controller.ansible.Installation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The controller machine: Java, ansible-playbook, the callback plugin (loaded for real), the role, the agent. */
public final class ControllerChecks {
    private ControllerChecks() {
    }

    public static List<Check> run(Installation install, String pathEnv, Path scratch) throws InterruptedException {
        List<Check> checks = new ArrayList<>();
        int java = Runtime.version().feature();
        checks.add(java >= 17 ? Check.ok("java", "Java " + Runtime.version())
                : Check.fail("java", "Java " + Runtime.version() + " is older than 17", "install a Java 17 runtime"));
        Optional<Path> ansible = AnsibleLocator.find(pathEnv);
        if (ansible.isEmpty()) {
            checks.add(Check.fail("ansible-playbook", "not found on PATH", AnsibleLocator.INSTALL_HINT));
        } else {
            try {
                String version = firstLine(output(List.of(ansible.get().toString(), "--version"), Map.of()));
                checks.add(Check.ok("ansible-playbook", ansible.get() + " (" + version + ")"));
            } catch (IOException e) {
                checks.add(Check.fail("ansible-playbook", ansible.get() + " does not run: " + e.getMessage(),
                        AnsibleLocator.INSTALL_HINT));
            }
        }
        Path role = install.ansibleDir().resolve("roles/workload_runner/tasks/run_single_rep.yml");
        Path module = install.ansibleDir().resolve("roles/workload_runner/library/lb_stream_poll.py");
        Path pollAction = install.ansibleDir().resolve("action_plugins/lb_stream_poll.py");
        checks.add(Files.exists(role) && Files.exists(module) && Files.exists(pollAction)
                ? Check.ok("role", "workload_runner at " + role.getParent().getParent())
                : Check.fail("role", "workload_runner, its lb_stream_poll module or the lb_stream_poll action plugin is"
                + " missing under " + install.ansibleDir(), "set LB_HOME to the lb checkout"));
        Path agent = install.agentJar();
        checks.add(Files.exists(agent) ? Check.ok("agent", agent.toString())
                : Check.fail("agent", agent + " is missing", "build it: ./lb --version (or mvn -pl runner-agent -am package)"));
        ansible.ifPresent(a -> {
            try {
                checks.add(callback(a, install, scratch));
            } catch (IOException e) {
                checks.add(Check.fail("callback", "could not be tried: " + e.getMessage(), "see the message"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return checks;
    }

    /** Runs a one-task playbook with lb's ansible.cfg and checks that the callback wrote the event it carried. */
    static Check callback(Path ansible, Installation install, Path scratch) throws IOException, InterruptedException {
        Files.createDirectories(scratch);
        Path pb = scratch.resolve("doctor-callback.yml");
        Files.writeString(pb, "- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.debug:\n"
                + "        msg: 'LB_EVENT {\"host\":\"doctor\",\"workload\":\"check\",\"repetition\":0,\"status\":\"done\",\"src\":\"doctor\",\"seq\":1}'\n");
        Path jsonl = scratch.resolve("doctor-events.jsonl");
        Files.deleteIfExists(jsonl);
        String out = output(List.of(ansible.toString(), "-i", "localhost,", "-c", "local", pb.toString()), Map.of(
                "ANSIBLE_CONFIG", install.ansibleConfig().toString(), "LB_EVENT_LOG_PATH", jsonl.toString(),
                "LC_ALL", "C.UTF-8", "ANSIBLE_LOCAL_TEMP", scratch.resolve("tmp").toString()));
        String written = Files.exists(jsonl) ? Files.readString(jsonl, StandardCharsets.UTF_8) : "";
        if (written.lines().map(CallbackRecord::parse).anyMatch(r -> r instanceof CallbackRecord.Line l
                && l.text().contains("\"host\":\"doctor\""))) {
            return Check.ok("callback", "lb_events loads and writes events (" + install.ansibleConfig() + ")");
        }
        return Check.fail("callback", "lb_events did not write the test event; ansible said: " + lastLines(out),
                "check that " + install.ansibleDir().resolve("callback_plugins/lb_events.py") + " exists and that"
                        + " ansible-core is 2.12 or newer");
    }

    static String output(List<String> argv, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse("").trim();
    }

    private static String lastLines(String s) {
        List<String> l = s.lines().filter(x -> !x.isBlank()).toList();
        return String.join(" | ", l.subList(Math.max(0, l.size() - 3), l.size()));
    }
}

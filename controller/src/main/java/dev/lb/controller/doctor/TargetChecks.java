package dev.lb.controller.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.controller.ansible.AnsibleFiles;
import dev.lb.controller.ansible.AnsibleLocator;
import dev.lb.controller.ansible.AnsibleProcess;
import dev.lb.controller.ansible.Installation;
import dev.lb.controller.config.RunConfig;
import dev.lb.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each target of a config, through the doctor playbook: reachable, Python, Java >= 17, a writable run directory, the
 * agent copied and started, each program the workloads run ({@link ToolChecks}). One line per check per host, with
 * what to do about a failure. Every host is checked at once, each within a time limit.
 */
public final class TargetChecks {
    private TargetChecks() {
    }

    /** Hosts checked at once: every host of any ordinary config, so that each host's clock starts with the play. */
    static final int MAX_FORKS = 200;
    /** How long ansible-playbook may take to start its play before every host is given up. */
    static final Duration PLAY_START_LIMIT = Duration.ofSeconds(60);
    private static final String LOG = "doctor-ansible.log";

    /**
     * Checks every host at once (the doctor play runs with strategy free and a fork per host) and gives up on a host
     * that Ansible has said nothing of for {@code hostTimeout}: from the play's start (it never answered) or from
     * its last finished step (one step hangs). Its line names the limit; the other hosts' results stand.
     * {@code progress} hears, every 100 ms, how many hosts answered.
     */
    public static List<Check> run(RunConfig config, Installation install, Path ansiblePlaybook, Path scratch,
                                  Duration hostTimeout, Progress progress) throws IOException, InterruptedException {
        Files.createDirectories(scratch.resolve("results"));
        Files.createDirectories(scratch.resolve("ansible-tmp"));
        AnsibleFiles.Written files = AnsibleFiles.write(config, "doctor", "0", scratch, install);
        var vars = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(files.vars().toFile());
        vars.put("lb_doctor_dir", scratch.resolve("results").toString());
        Files.writeString(files.vars(), vars.toString());
        Map<String, String> env = Map.of("ANSIBLE_CONFIG", install.ansibleConfig().toString(), "LC_ALL", "C.UTF-8",
                "ANSIBLE_LOCAL_TEMP", scratch.resolve("ansible-tmp").toString(),
                "ANSIBLE_HOST_KEY_CHECKING", config.targets().testTargets() ? "False" : "True",
                // ssh gives up connecting when lb does (ConnectTimeout), and every host has a fork from the start
                "ANSIBLE_TIMEOUT", Long.toString(Math.max(1, (long) Math.ceil(hostTimeout.toMillis() / 1000.0))),
                "ANSIBLE_FORKS", Integer.toString(Math.max(1, Math.min(files.hosts().size(), MAX_FORKS))));
        HostActivity activity = new HostActivity(Files.newOutputStream(scratch.resolve(LOG)), files.hosts());
        AnsibleProcess p = AnsibleProcess.start(
                new AnsibleProcess.Guard(AnsibleLocator.pythonOf(ansiblePlaybook), install.guardScript(),
                        scratch.resolve("doctor-guard.log")),
                List.of(ansiblePlaybook.toString(), "-i", files.inventory().toString(),
                "-e", "@" + files.vars(), install.playbook("doctor.yml").toString()), env, scratch.toFile(),
                activity, Files.newOutputStream(scratch.resolve("doctor-guard.log")));
        long launched = System.nanoTime();
        Path results = scratch.resolve("results");
        Set<String> waiting = new LinkedHashSet<>(files.hosts());
        Map<String, Check> givenUp = new java.util.HashMap<>();
        boolean neverStarted = false;
        Integer rc;
        while (true) {
            rc = p.waitFor(Duration.ofMillis(100));
            // The copy module renames its file into place: a result that exists is whole.
            waiting.removeIf(h -> Files.exists(results.resolve(h + ".json")));
            long now = System.nanoTime();
            for (String host : List.copyOf(waiting)) {
                long heard = activity.lastHeardNanos(host);
                if (heard >= 0 && now - heard > hostTimeout.toNanos()) {
                    waiting.remove(host);
                    givenUp.put(host, overTime(host, hostTimeout, activity.lastLine(host), scratch.resolve(LOG)));
                }
            }
            long play = activity.playStartedNanos();
            progress.update(files.hosts().size() - waiting.size() - givenUp.size(), givenUp.size(), files.hosts().size(),
                    List.copyOf(waiting), play < 0 ? Duration.ZERO : Duration.ofNanos(now - play), hostTimeout);
            if (rc != null || waiting.isEmpty()) {
                break;
            }
            if (play < 0 && now - launched > PLAY_START_LIMIT.toNanos()) {
                neverStarted = true;
                break;
            }
        }
        if (rc == null && (!givenUp.isEmpty() || neverStarted || p.waitFor(Duration.ofSeconds(5)) == null)) {
            p.endNow(Duration.ofSeconds(2));
        }
        List<Check> checks = new ArrayList<>();
        for (String host : files.hosts()) {
            Path result = results.resolve(host + ".json");
            if (givenUp.containsKey(host)) {
                checks.add(givenUp.get(host));
            } else if (Files.exists(result)) {
                checks.addAll(forHost(host, Json.MAPPER.readTree(result.toFile()), config));
            } else if (neverStarted) {
                checks.add(Check.fail(host, "not checked: ansible-playbook did not start the doctor play within "
                        + PLAY_START_LIMIT.toSeconds() + " s", "see " + scratch.resolve(LOG)));
            } else {
                checks.add(Check.fail(host, "no result from the doctor playbook", "see " + scratch.resolve(LOG)));
            }
        }
        return checks;
    }

    /**
     * A host given up after {@code limit} of silence: unreachable when Ansible had said nothing of it at all, else
     * stuck in a step, with the last line Ansible printed about it (cut to 200 characters).
     */
    static Check overTime(String host, Duration limit, String lastLine, Path log) {
        if (lastLine == null) {
            return Check.fail(host + " reachable", "no answer within " + seconds(limit) + " (--host-timeout)",
                    "check the address, port, user and key in the config, and that sshd answers there; a slow host"
                            + " gets longer with --host-timeout SECONDS");
        }
        String said = lastLine.length() <= 200 ? lastLine : lastLine.substring(0, 200) + "...";
        return Check.fail(host + " checks", "no step finished for " + seconds(limit) + " (--host-timeout); the last"
                + " Ansible said of it: " + said, "give it longer with --host-timeout SECONDS, or see " + log);
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
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

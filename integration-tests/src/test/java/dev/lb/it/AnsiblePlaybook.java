package dev.lb.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.controller.ingest.CallbackRecord;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real ansible-playbook on the project's playbooks against localhost (ansible_connection=local), with the
 * lb_events callback writing to a JSONL file: the transport exactly as the controller drives it.
 */
final class AnsiblePlaybook {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path ROOT = LbProcess.ROOT;

    final Path dir;
    final Path jsonl;
    final Path stdout;
    final Path targetRoot;
    final String runId;

    AnsiblePlaybook(Path dir, String runId) {
        this.dir = dir;
        this.runId = runId;
        this.jsonl = dir.resolve("events.jsonl");
        this.stdout = dir.resolve("ansible.log");
        this.targetRoot = dir.resolve("target");
    }

    /** The target's run directory (where the agent's files are): attempt 0, host localhost. */
    Path targetRunDir() {
        return targetRoot.resolve(runId + ".0").resolve("localhost");
    }

    ObjectNode vars(int repetitions, double pollInterval, ObjectNode... workloads) {
        ObjectNode v = JSON.createObjectNode();
        v.put("lb_run_id", runId);
        v.put("lb_target_root", targetRoot.toString());
        Path jar = ROOT.resolve("runner-agent/target/lb-agent.jar");
        v.put("lb_agent_jar", jar.toString());
        // As the controller sends it: the setup step checks the jar it sends against it and names the cache by it.
        try {
            v.put("lb_agent_jar_sha256", java.util.HexFormat.of().formatHex(java.security.MessageDigest
                    .getInstance("SHA-256").digest(Files.readAllBytes(jar))));
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new AssertionError("cannot hash " + jar + ": " + e, e);
        }
        v.put("lb_repetitions", repetitions);
        v.put("lb_poll_interval_s", pollInterval);
        v.put("lb_agent_grace_s", 2);
        // The playbook's finish play collects into this directory; the tests read the target's files afterwards.
        v.put("lb_controller_run_dir", dir.toString());
        v.put("lb_keep_target_dirs", true);
        // Each workload as the controller sends it: its plan (the same JSON keys) in base64, and its name.
        List<dev.lb.protocol.WorkloadPlan> plans = new ArrayList<>();
        var arr = v.putArray("lb_workloads");
        for (ObjectNode w : workloads) {
            plans.add(dev.lb.protocol.WorkloadPlan.fromJson(w.toString()));
            arr.addObject().put("name", w.path("name").asText());
        }
        v.put("lb_plans", dev.lb.protocol.WorkloadPlan.toBase64(plans));
        return v;
    }

    /** A command workload's plan fields, without system metrics (the tests count every event). */
    static ObjectNode command(String name, String... argv) {
        ObjectNode w = JSON.createObjectNode();
        w.put("name", name);
        w.put("metrics_interval_s", 0);
        var a = w.putArray("argv");
        for (String s : argv) {
            a.add(s);
        }
        return w;
    }

    int run(ObjectNode vars) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path inventory = dir.resolve("inventory.ini");
        Files.writeString(inventory, "[lb_targets]\nlocalhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n");
        Path varsFile = dir.resolve("vars.json");
        Files.writeString(varsFile, JSON.writeValueAsString(vars));
        ProcessBuilder pb = new ProcessBuilder("ansible-playbook", "-i", inventory.toString(), "-e", "@" + varsFile,
                ROOT.resolve("ansible/playbooks/run_benchmark.yml").toString())
                .redirectErrorStream(true).redirectOutput(stdout.toFile());
        pb.environment().put("ANSIBLE_CONFIG", ROOT.resolve("ansible/ansible.cfg").toString());
        pb.environment().put("LB_EVENT_LOG_PATH", jsonl.toString());
        pb.environment().put("ANSIBLE_LOCAL_TEMP", dir.resolve("ansible-tmp").toString());
        Process p = pb.start();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ansible-playbook did not finish in 600 s; output in " + stdout);
        }
        return p.exitValue();
    }

    /** The callback's records of one kind (warning, skipped, diagnostic, stats), read as lb reads them. */
    List<JsonNode> records(String kind) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
            if (CallbackRecord.parse(line) instanceof CallbackRecord.Other o && o.kind().equals(kind)) {
                out.add(o.record());
            }
        }
        return out;
    }

    /** The payloads of the lines the callback forwarded (each a stream file line, LB_EVENT and its JSON). */
    List<JsonNode> events() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
            if (CallbackRecord.parse(line) instanceof CallbackRecord.Line l) {
                int at = l.text().indexOf("LB_EVENT ");
                out.add(JSON.readTree(l.text().substring(at + "LB_EVENT ".length())));
            }
        }
        return out;
    }
}

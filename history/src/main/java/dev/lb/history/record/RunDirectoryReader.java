package dev.lb.history.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads what the history records from a run directory, through the files lb writes there and nothing else:
 * results.json (statistics, values, roles, system information, exclusions, stability), summary.json (times,
 * outcome, exit code, lb version), vars.json (workload definitions), labels.json (the labels given to the run).
 */
public final class RunDirectoryReader {
    public static final String RESULTS = "results.json";
    public static final String SUMMARY = "summary.json";
    public static final String VARS = "vars.json";
    public static final String RUN = "run.json";
    /** Keys of vars.json that differ on every run without changing what is measured; left out of the config hash. */
    private static final Set<String> PER_RUN_VARS = Set.of("lb_run_id", "lb_attempt", "lb_controller_host",
            "lb_controller_pid", "lb_controller_run_dir", "lb_agent_jar", "lb_target_root", "lb_keep_target_dirs");

    private RunDirectoryReader() {
    }

    /** A run directory holds a results.json once lb run, lb recover or lb results has written it. */
    public static boolean recordable(Path runDir) {
        return Files.isRegularFile(runDir.resolve(RESULTS));
    }

    /** {@code labels}: given now (--label); they win over labels.json's for the same name. */
    public static RunRecord read(Path runDir, Map<String, String> labels) throws RunDirectoryException {
        JsonNode results = json(runDir.resolve(RESULTS), true);
        JsonNode summary = json(runDir.resolve(SUMMARY), false);
        JsonNode run = json(runDir.resolve(RUN), false);
        JsonNode vars = json(runDir.resolve(VARS), false);
        String runId = results.path("run_id").asText(runDir.getFileName().toString());

        Map<String, String> allLabels = new TreeMap<>(RunLabels.read(runDir));
        allLabels.putAll(labels);

        List<RunRecord.Host> hosts = new ArrayList<>();
        results.path("system").fields().forEachRemaining(e -> hosts.add(host(e.getKey(), e.getValue())));
        Set<String> withSystem = new java.util.HashSet<>();
        hosts.forEach(h -> withSystem.add(h.alias()));
        results.path("results").forEach(r -> {
            String alias = r.path("host").asText();
            if (withSystem.add(alias)) {
                hosts.add(host(alias, Json.MAPPER.createObjectNode())); // no system information: an unknown machine
            }
        });

        Map<String, RunRecord.Workload> workloads = new LinkedHashMap<>();
        vars.path("lb_workloads").forEach(w -> workloads.put(w.path("name").asText(), WorkloadIdentity.of(w)));
        results.path("results").forEach(r -> workloads.computeIfAbsent(r.path("workload").asText(),
                WorkloadIdentity::unknown));

        Map<String, String> stability = new LinkedHashMap<>();
        results.path("stability").forEach(s -> stability.put(s.path("host").asText() + "\u0000"
                + s.path("workload").asText(), (s.path("stable").asBoolean() ? "stable: " : "not stable: ")
                + s.path("explanation").asText("")));

        List<RunRecord.SeriesResult> series = new ArrayList<>();
        for (JsonNode r : results.path("results")) {
            List<RunRecord.Value> values = new ArrayList<>();
            r.path("values").forEach(v -> values.add(new RunRecord.Value(v.path("repetition").asInt(),
                    v.path("value").asDouble())));
            series.add(new RunRecord.SeriesResult(r.path("host").asText(), r.path("workload").asText(),
                    r.path("metric").asText(), r.path("unit").asText(""), r.path("direction").asText("none"),
                    r.path("primary").asBoolean(false), r.path("n").asInt(values.size()), r.path("mean").asDouble(),
                    number(r, "stdev"), number(r, "min"), number(r, "median"), number(r, "p95"), number(r, "max"),
                    number(r, "cv"), stability.get(r.path("host").asText() + "\u0000" + r.path("workload").asText()),
                    values));
        }
        List<RunRecord.ExcludedRepetition> excluded = new ArrayList<>();
        for (JsonNode x : results.path("excluded")) {
            // An older lb wrote no values here; a value that is not a number is no value (never made one up).
            List<RunRecord.ExcludedValue> produced = new ArrayList<>();
            for (JsonNode v : x.path("values")) {
                if (v.path("value").isNumber() && v.hasNonNull("metric")) {
                    produced.add(new RunRecord.ExcludedValue(v.path("metric").asText(), v.path("unit").asText(""),
                            v.path("value").asDouble()));
                }
            }
            excluded.add(new RunRecord.ExcludedRepetition(x.path("host").asText(), x.path("workload").asText(),
                    x.path("repetition").asInt(), x.path("status").asText(null), x.path("reason").asText(""),
                    produced));
        }

        Double started = number(summary, "started_at");
        if (started == null && run.path("started_millis").isNumber()) {
            started = run.path("started_millis").asDouble() / 1000.0;
        }
        return new RunRecord(runId, started, number(summary, "ended_at"), summary.path("outcome").asText(null),
                summary.path("exit_code").isInt() ? summary.path("exit_code").asInt() : null,
                summary.path("lb_version").asText(null), summary.path("config").asText(run.path("config")
                .asText(null)), configHash(vars), allLabels, hosts, List.copyOf(workloads.values()), series, excluded);
    }

    private static RunRecord.Host host(String alias, JsonNode system) {
        JsonNode os = system.path("os");
        return new RunRecord.Host(alias, HostFingerprint.of(system), system.path("kernel").path("release")
                .asText(null), os.path("name").asText(null), system.isEmpty() ? null : Json.line(system));
    }

    /** The hash of what the run was asked to do: vars.json without the fields that differ on every run. */
    private static String configHash(JsonNode vars) {
        if (!vars.isObject() || vars.isEmpty()) {
            return null;
        }
        ObjectNode v = vars.deepCopy();
        PER_RUN_VARS.forEach(v::remove);
        return Hashes.sha256(Hashes.canonical(v)).substring(0, 12);
    }

    private static Double number(JsonNode o, String field) {
        JsonNode n = o.path(field);
        return n.isNumber() ? n.asDouble() : null;
    }

    private static JsonNode json(Path file, boolean required) throws RunDirectoryException {
        if (!Files.isRegularFile(file)) {
            if (required) {
                throw new RunDirectoryException("no " + file.getFileName() + " in " + file.getParent()
                        + " (lb results " + file.getParent() + " writes it)", null);
            }
            return Json.MAPPER.createObjectNode();
        }
        try {
            JsonNode n = Json.MAPPER.readTree(file.toFile());
            if (n == null || !n.isObject()) {
                throw new RunDirectoryException(file + " is not a JSON object", null);
            }
            return n;
        } catch (IOException e) {
            throw new RunDirectoryException("cannot read " + file + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        }
    }
}

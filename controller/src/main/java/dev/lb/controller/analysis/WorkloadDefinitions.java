package dev.lb.controller.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.protocol.Json;
import dev.lb.protocol.WorkloadPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The workload definitions a run ran with, as its run directory keeps them: the plans in {@code vars.json}'s
 * {@code lb_plans} (name, type, argv, env, cwd, timeout, script, declared results, ...), written before the
 * playbooks start. Two runs
 * of "the same" workload that ran different arguments measure different things; {@link #between} says which.
 */
public record WorkloadDefinitions(Map<String, JsonNode> byName, String notRecorded) {
    public static final String FILE = "vars.json";

    /** One field of one workload that differs: its text in the base run and in the new one (null: not set there). */
    public record Change(String workload, String field, String base, String candidate) {
    }

    /** The changed fields, and why a run's definitions could not be compared (one line per run), if so. */
    public record Changes(List<Change> changes, List<String> notRecorded) {
        public static final Changes NONE = new Changes(List.of(), List.of());

        public Changes {
            changes = List.copyOf(changes);
            notRecorded = List.copyOf(notRecorded);
        }
    }

    public WorkloadDefinitions {
        byName = Map.copyOf(byName);
    }

    /**
     * Reads {@code runDir/vars.json}. A run without it, or with one that cannot be read, has no recorded definitions,
     * and says why: the comparison of results goes on, it just cannot say whether the definitions changed.
     */
    public static WorkloadDefinitions read(Path runDir, String runId) {
        Path file = runDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return new WorkloadDefinitions(Map.of(), runId + ": workload definitions not recorded (no " + FILE + ")");
        }
        try {
            JsonNode vars = Json.MAPPER.readTree(file.toFile());
            Map<String, JsonNode> out = new LinkedHashMap<>();
            if (vars.path("lb_plans").isTextual()) {
                for (WorkloadPlan plan : WorkloadPlan.fromBase64(vars.path("lb_plans").asText())) {
                    out.put(plan.name(), Json.MAPPER.readTree(plan.toJson()));
                }
                return new WorkloadDefinitions(out, null);
            }
            // A run made before plans existed listed each workload's fields, under the same names.
            JsonNode workloads = vars.path("lb_workloads");
            if (!workloads.isArray()) {
                return new WorkloadDefinitions(Map.of(), runId + ": " + file + " has neither lb_plans nor an"
                        + " lb_workloads list");
            }
            workloads.forEach(w -> out.put(w.path("name").asText(), w));
            return new WorkloadDefinitions(out, null);
        } catch (IllegalArgumentException e) {
            return new WorkloadDefinitions(Map.of(), runId + ": " + file + ": the workload plans cannot be read: "
                    + e.getMessage());
        } catch (IOException e) {
            return new WorkloadDefinitions(Map.of(), runId + ": cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Every field of every workload both runs define whose value differs (argv, env, timeout_s, ...). */
    public static Changes between(WorkloadDefinitions base, WorkloadDefinitions candidate) {
        List<String> notRecorded = new ArrayList<>();
        if (base.notRecorded() != null) {
            notRecorded.add(base.notRecorded());
        }
        if (candidate.notRecorded() != null) {
            notRecorded.add(candidate.notRecorded());
        }
        List<Change> changes = new ArrayList<>();
        for (var e : base.byName().entrySet()) {
            JsonNode n = candidate.byName().get(e.getKey());
            if (n == null) {
                continue; // a workload only one run has: its series are listed as only in one run
            }
            TreeSet<String> fields = new TreeSet<>();
            e.getValue().fieldNames().forEachRemaining(fields::add);
            n.fieldNames().forEachRemaining(fields::add);
            fields.remove("name");
            for (String f : fields) {
                JsonNode before = e.getValue().get(f);
                JsonNode after = n.get(f);
                if (!Objects.equals(before, after)) {
                    changes.add(new Change(e.getKey(), f, text(before), text(after)));
                }
            }
        }
        return new Changes(changes, notRecorded);
    }

    /** A list of strings as a command line reads (argv), anything else as its JSON. */
    static String text(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            for (Iterator<JsonNode> it = v.elements(); it.hasNext(); ) {
                JsonNode x = it.next();
                if (!x.isTextual()) {
                    return Json.line(v);
                }
                String s = x.asText();
                parts.add(s.isEmpty() || s.matches(".*[\\s'\"].*") ? Json.line(x) : s);
            }
            return String.join(" ", parts);
        }
        return v.isTextual() ? v.asText() : Json.line(v);
    }
}

package dev.lb.history.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * A workload's identity in the history: its name and a hash of the fields of its definition (vars.json's
 * {@code lb_workloads} entry) that change what is measured. Every field counts (type, argv, env, cwd, script, binary,
 * declared results, before/after hooks, and any field added later) except the ones listed in {@link #IGNORED}, which
 * only change how lb watches the workload, not what it measures.
 */
public final class WorkloadIdentity {
    /** The name is the identity's other half; a timeout and the /proc sampling interval leave the measurement as is. */
    public static final Set<String> IGNORED = Set.of("name", "timeout_s", "metrics_interval_s");

    private WorkloadIdentity() {
    }

    public static RunRecord.Workload of(JsonNode definition) {
        ObjectNode measured = definition.deepCopy();
        IGNORED.forEach(measured::remove);
        String canonical = Hashes.canonical(measured);
        return new RunRecord.Workload(definition.path("name").asText(), Hashes.sha256(canonical).substring(0, 12),
                canonical);
    }

    /** A workload whose run directory kept no definition: one identity for all such runs of that name. */
    public static RunRecord.Workload unknown(String name) {
        return new RunRecord.Workload(name, "undefined", null);
    }
}

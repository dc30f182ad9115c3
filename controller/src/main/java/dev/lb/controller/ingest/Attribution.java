package dev.lb.controller.ingest;

import dev.lb.controller.listener.PayloadSighting;
import dev.lb.controller.listener.Rejection;
import dev.lb.controller.listener.Sighting;
import dev.lb.protocol.Event;
import dev.lb.protocol.EventType;
import dev.lb.protocol.RejectReason;
import java.util.List;
import java.util.Set;

/**
 * Whether a valid event belongs to this run: its run_id is the run's, its host one of the run's hosts (and the host
 * that delivered it, where the path says which), its workload and repetition in the plan or one of the run-level
 * streams. Anything else is rejected with its reason, counted, and never becomes a row: a target could otherwise
 * write a phantom host or workload into its stream file, and the run would wait for a repetition that never runs.
 */
public final class Attribution {
    /**
     * Run-level streams at repetition 0: the container watcher, the system information, and the playbook's notices
     * outside a repetition.
     */
    static final Set<String> RUN_LEVEL_WORKLOADS = Set.of("containers", EventType.SYSTEM_WORKLOAD, "(setup)",
            "(finish)");

    private final String runId;
    private final Set<String> hosts;
    private final Set<String> workloads;
    private final int repetitions;

    private Attribution(String runId, Set<String> hosts, Set<String> workloads, int repetitions) {
        this.runId = runId;
        this.hosts = hosts;
        this.workloads = workloads;
        this.repetitions = repetitions;
    }

    public static Attribution of(String runId, List<String> hosts, List<String> workloads, int repetitions) {
        return new Attribution(runId, Set.copyOf(hosts), Set.copyOf(workloads), repetitions);
    }

    /** For the stages tested or measured on their own (no run plan): every valid event belongs. */
    public static Attribution anything() {
        return new Attribution(null, null, null, 0);
    }

    /** The rejection for an event that does not belong to this run, or null when it does. */
    Rejection check(Sighting s) {
        if (hosts == null) {
            return null;
        }
        Event e = s.event();
        if (e.runId() != null && !e.runId().equals(runId)) {
            return reject(s, RejectReason.FOREIGN_RUN, "run_id '" + e.runId() + "' is not this run's (" + runId + ")");
        }
        if (!hosts.contains(e.host())) {
            return reject(s, RejectReason.FOREIGN_HOST, "host '" + e.host() + "' is not a host of this run");
        }
        if (s.deliveredBy() != null && !s.deliveredBy().equals(e.host())) {
            return reject(s, RejectReason.FOREIGN_HOST, "host '" + e.host() + "' delivered by host '" + s.deliveredBy()
                    + "': a host speaks only for itself");
        }
        String notInPlan = notInPlan(e.workload(), e.repetition());
        return notInPlan == null ? null : reject(s, RejectReason.UNKNOWN_WORKLOAD, notInPlan);
    }

    /**
     * Why an event of this host, workload and repetition is not the run's, or null when it is: what ingest rejects,
     * for a reader that sees a stage's events without a run id (lb doctor), so both judge alike.
     */
    public String notInRun(String host, String workload, int repetition) {
        if (hosts == null) {
            return null;
        }
        if (!hosts.contains(host)) {
            return "host '" + host + "' is not a host of this run";
        }
        return notInPlan(workload, repetition);
    }

    private String notInPlan(String workload, int repetition) {
        boolean runLevel = repetition == 0 && (RUN_LEVEL_WORKLOADS.contains(workload) || workloads.contains(workload));
        if (runLevel) {
            return null;
        }
        if (!workloads.contains(workload)) {
            return "workload '" + workload + "' is not in this run";
        }
        if (repetition < 1 || repetition > repetitions) {
            return "repetition " + repetition + " of '" + workload + "' is not in this run (1.." + repetitions + ")";
        }
        return null;
    }

    /**
     * For a copy of an event already accepted (its identity known, so the rest was checked then): the rejection when
     * a host other than the event's delivered it, or null.
     */
    Rejection deliveredByAnother(String host, PayloadSighting s, String payloadJson) {
        if (hosts == null || s.deliveredBy() == null || s.deliveredBy().equals(host)) {
            return null;
        }
        return new Rejection(s.source(), s.line(), RejectReason.FOREIGN_HOST, "host '" + host + "' delivered by host '"
                + s.deliveredBy() + "': a host speaks only for itself", 1, clip(payloadJson));
    }

    private static Rejection reject(Sighting s, RejectReason reason, String detail) {
        return new Rejection(s.source(), s.line(), reason, detail, 1, clip(s.event().payloadJson()));
    }

    private static String clip(String payload) {
        return payload.length() <= 120 ? payload : payload.substring(0, 120) + "...";
    }
}

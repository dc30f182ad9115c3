package dev.lb.controller.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.Event;
import dev.lb.protocol.EventStatus;
import dev.lb.protocol.EventType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where every host × workload is: its current repetition, the state of each repetition, the last thing it said.
 * Updated by ingest only (one thread); views read {@link #snapshot()} copies.
 */
public final class RunState {
    /** A host running a workload. */
    public record Key(String host, String workload) {
    }

    /** One row as views show it. */
    public record Row(String host, String workload, int repetition, int totalRepetitions, String state,
                      String lastMessage, long lastEventMillis, long events, Map<Integer, String> repetitions) {
    }

    /**
     * A repetition's state for a repetition the agent skipped because the earlier ones were stable (adaptive
     * repetitions): not a failure, unlike the protocol's plain {@code skipped} (a repetition the run never reached).
     */
    public static final String STABLE = "stable";

    private static final class Progress {
        int repetition;
        int total;
        String lastMessage = "";
        long lastEventMillis;
        long events;
        final TreeMap<Integer, String> reps = new TreeMap<>();
        /** The latest stability verdict (adaptive repetitions) and the repetition that carried it. */
        ObjectNode stability;
        int stabilityRepetition;
    }

    /** One repetition of one workload on one host (repetition 0: the host's run-level emitters). */
    public record RepKey(String host, String workload, int repetition) {
        @Override
        public String toString() {
            return host + " " + workload + " rep " + repetition;
        }
    }

    /** A repetition's final record: its status and, when its emitter sealed it, the seal. */
    /**
     * The error type of the setup failure of a host another run holds (set by the role's lb_target_lock module and
     * passed on by the callback): its repetitions did not run, which is not a failed benchmark.
     */
    public static final String TARGET_BUSY = "target_busy";

    public record Final(String status, String src, String message, ObjectNode seal) {
    }

    private final Map<Key, Progress> rows = new LinkedHashMap<>();
    private final Map<RepKey, Final> finals = new LinkedHashMap<>();
    /** Hosts another run held, with what their setup said (the holder, since when). */
    private final Map<String, String> busyHosts = new LinkedHashMap<>();
    private final Map<RepKey, Long> eventsByRep = new LinkedHashMap<>();
    private final Map<RepKey, Long> emittedOnTarget = new LinkedHashMap<>();
    /** Repetitions whose result could not be parsed, with the reason the agent gave. */
    private final Map<RepKey, String> unparsedResults = new LinkedHashMap<>();
    /** Each host's system information (its type=system event's {@code system} object). */
    private final Map<String, ObjectNode> systems = new TreeMap<>();
    /** Interference in the repetitions' system metrics. */
    private final dev.lb.controller.system.NoiseWarnings noise = new dev.lb.controller.system.NoiseWarnings();
    private final int expectedRepetitions;

    public RunState(List<String> hosts, List<String> workloads, int repetitions) {
        this.expectedRepetitions = repetitions;
        for (String h : hosts) {
            for (String w : workloads) {
                Progress p = new Progress();
                p.total = repetitions;
                rows.put(new Key(h, w), p);
            }
        }
    }

    public synchronized void accept(Event e, long receivedMillis) {
        RepKey rep = new RepKey(e.host(), e.workload(), e.repetition());
        eventsByRep.merge(rep, 1L, Long::sum);
        if (writtenOnTarget(e.src())) {
            emittedOnTarget.merge(rep, 1L, Long::sum);
        }
        if (e.type() == EventType.RESULT && dev.lb.results.ResultParseException.ERROR_TYPE.equals(e.errorType())
                && !(e.field("warmup") != null && e.field("warmup").asBoolean())) { // a warm-up's numbers never count
            unparsedResults.putIfAbsent(rep, e.message());
        }
        noise.accept(e);
        if (e.type() == EventType.SYSTEM && e.field("system") instanceof ObjectNode system) {
            systems.put(e.host(), system);
        }
        if (e.status().isFinal()) {
            ObjectNode seal = e.field("seal") instanceof ObjectNode o ? o : null;
            Final previous = finals.get(rep);
            // The sealed record wins: a playbook notice or a late duplicate never hides the agent's seal.
            if (previous == null || (previous.seal() == null && seal != null)) {
                finals.put(rep, stoppedAfterUnreachable(previous, e)
                        ? new Final(previous.status(), e.src(), previous.message() + " (the agent, left running, then: "
                                + e.message() + ")", seal)
                        : new Final(e.status().wireName(), e.src(), e.message(), seal));
            }
        }
        if (e.repetition() == 0 && (!e.status().isFinal() || e.status() == EventStatus.DONE)) {
            return; // a host-level event (the container watcher, its seal): journalled and shown, no row's repetition
        }
        if (e.repetition() == 0 && e.status().isFinal()) {
            if (TARGET_BUSY.equals(e.errorType())) {
                busyHosts.putIfAbsent(e.host(), e.message());
            }
            // A setup failure (repetition 0) concerns every workload of the host.
            rows.forEach((k, p) -> {
                if (k.host().equals(e.host())) {
                    apply(p, e, receivedMillis, true);
                }
            });
            return;
        }
        Progress p = rows.computeIfAbsent(new Key(e.host(), e.workload()), k -> {
            Progress n = new Progress();
            n.total = expectedRepetitions;
            return n;
        });
        apply(p, e, receivedMillis, false);
    }

    private static void apply(Progress p, Event e, long receivedMillis, boolean setup) {
        p.events++;
        p.lastEventMillis = receivedMillis;
        if (e.message() != null && e.type() != EventType.METRIC) {
            // A sample every second would hide what the workload last said.
            p.lastMessage = e.message();
        }
        if (e.totalRepetitions() != null && e.totalRepetitions() > 0) {
            p.total = e.totalRepetitions();
        }
        if (setup) {
            for (int r = 1; r <= p.total; r++) {
                p.reps.putIfAbsent(r, e.status().wireName());
            }
            return;
        }
        if (e.repetition() >= p.repetition) {
            p.repetition = e.repetition();
        }
        String current = p.reps.get(e.repetition());
        boolean currentFinal = current != null && !current.equals(EventStatus.RUNNING.wireName());
        if (e.status().isFinal()) {
            if (e.status() == EventStatus.STOPPED && EventStatus.UNREACHABLE.wireName().equals(current)) {
                return; // the STOP finish.yml gave an unreachable host's agent: the repetition ended as unreachable
            }
            p.reps.put(e.repetition(), stableSkip(e) ? STABLE : e.status().wireName());
            if (e.field("stability") instanceof ObjectNode verdict && e.repetition() >= p.stabilityRepetition) {
                p.stability = verdict;
                p.stabilityRepetition = e.repetition();
            }
        } else if (!currentFinal) {
            // A late 'running' line (arriving by the slower path) never undoes a final state.
            p.reps.put(e.repetition(), EventStatus.RUNNING.wireName());
        }
    }

    /**
     * The agent of a host Ansible gave up as unreachable runs on, detached, until finish.yml (run for that host once it
     * can be reached) sends it STOP: its sealed {@code stopped} is a consequence, and the repetition stays {@code
     * unreachable} with the cause (the poll's retries and what ssh said), the agent's words after it.
     */
    private static boolean stoppedAfterUnreachable(Final previous, Event e) {
        return previous != null && previous.status().equals(EventStatus.UNREACHABLE.wireName())
                && e.status() == EventStatus.STOPPED;
    }

    /** The agent skipped the repetition because the earlier ones were stable. */
    public static boolean stableSkip(Event e) {
        return e.status() == EventStatus.SKIPPED && e.field("stability") != null
                && e.field("stability").path("stable").asBoolean(false);
    }

    /** Where each host × workload with adaptive repetitions stands: stable after how many, or not (yet). */
    public synchronized List<RunSummary.Stability> stability() {
        List<RunSummary.Stability> out = new ArrayList<>();
        rows.forEach((k, p) -> {
            if (p.stability != null) {
                int skipped = (int) p.reps.values().stream().filter(STABLE::equals).count();
                out.add(RunSummary.Stability.of(k.host(), k.workload(), p.stability, skipped));
            }
        });
        return out;
    }

    public synchronized List<Row> snapshot() {
        List<Row> out = new ArrayList<>();
        rows.forEach((k, p) -> out.add(new Row(k.host(), k.workload(), p.repetition, p.total,
                p.reps.isEmpty() ? "pending" : p.reps.get(p.repetition == 0 ? p.reps.firstKey() : p.repetition),
                p.lastMessage, p.lastEventMillis, p.events, java.util.Collections.unmodifiableMap(new TreeMap<>(p.reps)))));
        return out;
    }

    /** Each host's system information, by host name. */
    public dev.lb.controller.system.NoiseWarnings noise() {
        return noise;
    }

    public synchronized Map<String, ObjectNode> systems() {
        return new TreeMap<>(systems);
    }

    /** Repetitions whose result the agent could not parse, with its reason, in arrival order. */
    public synchronized Map<RepKey, String> unparsedResults() {
        return new LinkedHashMap<>(unparsedResults);
    }

    /** The final record of every repetition that has one. */
    /** The hosts refused because another run held them, each with its setup's message. */
    public synchronized Map<String, String> busyHosts() {
        return new LinkedHashMap<>(busyHosts);
    }

    public synchronized Map<RepKey, Final> finals() {
        return new LinkedHashMap<>(finals);
    }

    /** How many events of a repetition were accepted (0 when none). */
    public synchronized long events(RepKey rep) {
        return eventsByRep.getOrDefault(rep, 0L);
    }

    /**
     * How many events of a repetition were written on the target by a sealing emitter (the agent, k6, the container
     * watcher), as opposed to the poll step's and the playbook's own notices about it.
     */
    public synchronized long emittedOnTarget(RepKey rep) {
        return emittedOnTarget.getOrDefault(rep, 0L);
    }

    private static boolean writtenOnTarget(String src) {
        return src != null && !src.equals("poll") && !src.startsWith("playbook") && !src.equals("controller");
    }

    /** Every repetition that has events, planned or not. */
    public synchronized java.util.Set<RepKey> repetitionsWithEvents() {
        return new java.util.LinkedHashSet<>(eventsByRep.keySet());
    }

    /** Marks a repetition that never ran (the run ended before it) as skipped, so no row stays pending. */
    public synchronized void skipIfNotStarted(String host, String workload, int repetition) {
        Progress p = rows.get(new Key(host, workload));
        if (p != null) {
            p.reps.putIfAbsent(repetition, EventStatus.SKIPPED.wireName());
        }
    }

    /** A repetition whose events stopped without a final one gets the state the evidence gives it. */
    public synchronized void endWithout(String host, String workload, int repetition, String state) {
        Progress p = rows.get(new Key(host, workload));
        if (p != null && EventStatus.RUNNING.wireName().equals(p.reps.get(repetition))) {
            p.reps.put(repetition, state);
        }
    }

    /** Every expected repetition of every row finished 'done' (or was not needed: stable). */
    public synchronized boolean allDone() {
        return rows.values().stream().allMatch(p -> p.reps.size() >= p.total && p.total > 0
                && p.reps.values().stream().allMatch(RunState::doneOrStable));
    }

    /** A repetition state that is not a failure of any kind. */
    public static boolean doneOrStable(String state) {
        return "done".equals(state) || STABLE.equals(state);
    }
}

package dev.lb.controller.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.controller.ingest.Deduplicator;
import dev.lb.controller.state.Completeness;
import dev.lb.controller.state.RunState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks every repetition against its seal once every path (stdout, JSONL, the recovered stream files) is in:
 * a seq in the seal that no path delivered is lost (a hole, or a tail the final event would have told about); a
 * repetition that ran without a seal, or a host whose stream file could not be read, leaves the answer open.
 */
final class CompletenessCheck {
    private CompletenessCheck() {
    }

    /**
     * @param uncollected hosts whose stream file could not be collected, with why
     */
    static Completeness check(String runId, List<String> hosts, List<String> workloads, int repetitions,
                              RunState state, Deduplicator dedupe, Map<String, String> uncollected) {
        List<Completeness.Loss> lost = new ArrayList<>();
        List<String> unsealed = new ArrayList<>();
        List<String> cannotTell = new ArrayList<>();
        Map<RunState.RepKey, RunState.Final> finals = state.finals();
        finals.forEach((rep, fin) -> {
            if (fin.seal() == null) {
                return;
            }
            fin.seal().fields().forEachRemaining(src -> {
                JsonNode lastSeq = src.getValue().path("last_seq");
                if (!lastSeq.canConvertToLong()) {
                    unsealed.add(rep + ": its seal has no last_seq for " + src.getKey());
                    return;
                }
                long last = lastSeq.asLong();
                var stream = new Deduplicator.StreamKey(runId, rep.host(), rep.workload(), rep.repetition(), src.getKey());
                for (long[] range : dedupe.missing(stream, last)) {
                    String where = uncollected.containsKey(rep.host())
                            ? "the stream file of " + rep.host() + " was not collected: " + uncollected.get(rep.host())
                            : "not in the target's stream file either";
                    // A tail: nothing after it but (for the sealing emitter) the final event that carried the seal.
                    long tailFrom = src.getKey().equals(fin.src()) ? last - 1 : last;
                    lost.add(new Completeness.Loss(rep.host(), rep.workload(), rep.repetition(), src.getKey(), range[0],
                            range[1], range[1] >= tailFrom ? "tail" : "gap", where));
                }
            });
        });
        int sealed = 0;
        int ran = 0;
        for (String host : hosts) {
            String why = uncollected.get(host);
            for (String workload : workloads) {
                for (int r = 1; r <= repetitions; r++) {
                    RunState.RepKey rep = new RunState.RepKey(host, workload, r);
                    RunState.Final fin = finals.get(rep);
                    long events = state.events(rep);
                    if (fin != null && fin.seal() != null) {
                        sealed++;
                        ran++;
                    } else if (events > 0 && why == null && state.emittedOnTarget(rep) == 0) {
                        // Only the poll step or the playbook spoke (the agent never started, or died before its first
                        // event), and the collected stream file holds nothing of it: nothing was written, nothing lost.
                        state.endWithout(host, workload, r, "failed");
                    } else if (events > 0) {
                        ran++;
                        String ending = fin == null ? "the agent's final record never arrived"
                                : "it ended '" + fin.status() + "' from " + fin.src() + ", without the agent's seal ("
                                + abbreviate(fin.message()) + ")";
                        if (why != null) {
                            cannotTell.add(rep + ": not sealed (" + ending + ") and the stream file was not collected: "
                                    + why);
                        } else {
                            unsealed.add(rep + ": not sealed: " + ending + "; all " + events
                                    + " events of its collected stream file are journalled");
                            state.endWithout(host, workload, r, "failed");
                        }
                    } else if (why != null) {
                        cannotTell.add(rep + ": no event arrived and the stream file was not collected: " + why);
                    } else {
                        state.skipIfNotStarted(host, workload, r); // the stream file shows it never started
                    }
                }
            }
        }
        // The run-level streams (repetition 0) are sealed by their final record: the container watcher's when it is
        // stopped, the system information's by its only event.
        for (RunState.RepKey rep : state.repetitionsWithEvents()) {
            if (rep.repetition() != 0 || !hosts.contains(rep.host()) || state.emittedOnTarget(rep) == 0) {
                continue;
            }
            RunState.Final fin = finals.get(rep);
            if (fin == null || fin.seal() == null) {
                String why = uncollected.get(rep.host());
                String what = rep.host() + " " + rep.workload() + " (run-level stream): not sealed: its final record"
                        + " never arrived";
                if (why != null) {
                    cannotTell.add(what + ", and the stream file was not collected: " + why);
                } else {
                    unsealed.add(what);
                }
            }
        }
        List<String> collected = hosts.stream().filter(h -> !uncollected.containsKey(h)).toList();
        String verdict = !lost.isEmpty() ? Completeness.LOST
                : !unsealed.isEmpty() || !cannotTell.isEmpty() ? Completeness.CANNOT_TELL : Completeness.COMPLETE;
        return new Completeness(verdict, sealed, ran, lost, unsealed, cannotTell, collected);
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 160 ? s : s.substring(0, 160) + "...";
    }
}

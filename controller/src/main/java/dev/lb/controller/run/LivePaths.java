package dev.lb.controller.run;

import dev.lb.controller.ansible.AnsibleMessages;
import dev.lb.controller.ingest.JsonlTailer;
import dev.lb.controller.ingest.StdoutFeed;
import dev.lb.controller.state.RunSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * The live delivery paths of a run, one stdout feed and one JSONL tailer per ansible-playbook process (one process,
 * or one per slice), all feeding the same ingest; plus, in a sliced run, the tailer of the top-level events.jsonl
 * that the run-level playbooks (stop.yml, finish.yml) write their callback records to. Counts are summed over them;
 * each slice keeps its hosts and its process's exit code for the summary.
 */
final class LivePaths {
    /** One process's paths; {@code stdout} is null when nothing reads its output (lb recover). */
    record Slice(RunLayout.LiveFiles files, List<String> hosts, StdoutFeed stdout, JsonlTailer jsonl) {
    }

    private final List<Slice> slices;
    private final List<JsonlTailer> runLevel;
    private final Integer[] exitCodes;

    LivePaths(List<Slice> slices, List<JsonlTailer> runLevel) {
        this.slices = List.copyOf(slices);
        this.runLevel = List.copyOf(runLevel);
        this.exitCodes = new Integer[slices.size()];
    }

    List<Slice> slices() {
        return slices;
    }

    boolean sliced() {
        return slices.size() > 1 || slices.stream().anyMatch(s -> s.files().slice() > 0);
    }

    void start() {
        tailers().forEach(JsonlTailer::start);
    }

    /** The process of slice index {@code i} (0-based) ended with {@code rc} (null: killed, exit unknown). */
    synchronized void exited(int i, Integer rc) {
        exitCodes[i] = rc;
    }

    /** Ends the live paths: a last stdout line without newline is still a line, each JSONL file read to its end. */
    void close() throws java.io.IOException, InterruptedException {
        for (Slice s : slices) {
            if (s.stdout() != null) {
                s.stdout().close();
            }
        }
        for (JsonlTailer t : tailers()) {
            t.stop();
        }
    }

    private List<JsonlTailer> tailers() {
        List<JsonlTailer> all = new ArrayList<>();
        slices.forEach(s -> all.add(s.jsonl()));
        all.addAll(runLevel);
        return all;
    }

    /** Per-slice lines for summary.json: null for a run of one process, which has nothing to tell apart. */
    synchronized List<RunSummary.Slice> summary() {
        if (!sliced()) {
            return null;
        }
        List<RunSummary.Slice> out = new ArrayList<>();
        for (int i = 0; i < slices.size(); i++) {
            Slice s = slices.get(i);
            out.add(new RunSummary.Slice(s.files().slice(), s.hosts(), exitCodes[i],
                    s.stdout() == null ? 0 : s.stdout().lines(), s.jsonl().lines()));
        }
        return out;
    }

    /** "slice 2 (web-3, web-4): ansible-playbook exited with 2" for the first slice that failed, or null. */
    synchronized String firstFailedSlice() {
        for (int i = 0; i < slices.size(); i++) {
            Integer rc = exitCodes[i];
            if (rc != null && rc != 0) {
                Slice s = slices.get(i);
                return s.files().label() + " (" + String.join(", ", s.hosts()) + "): ansible-playbook exited with " + rc;
            }
        }
        return null;
    }

    long stdoutLines() {
        return slices.stream().filter(s -> s.stdout() != null).mapToLong(s -> s.stdout().lines()).sum();
    }

    long jsonlLines() {
        return tailers().stream().mapToLong(JsonlTailer::lines).sum();
    }

    long jsonlReadErrors() {
        return tailers().stream().mapToLong(JsonlTailer::readErrors).sum();
    }

    long jsonlTruncations() {
        return tailers().stream().mapToLong(JsonlTailer::truncations).sum();
    }

    long callbackDiagnostics() {
        return tailers().stream().mapToLong(JsonlTailer::diagnostics).sum();
    }

    long streamLinesSkipped() {
        return tailers().stream().mapToLong(JsonlTailer::streamLinesSkipped).sum();
    }

    /** What the callbacks said they forwarded, summed; null when none of them said (no stats record read). */
    Long callbackEvents() {
        Long sum = null;
        for (JsonlTailer t : tailers()) {
            Long n = t.callbackEvents();
            if (n != null) {
                sum = (sum == null ? 0 : sum) + n;
            }
        }
        return sum;
    }

    List<String> jsonlWarnings() {
        List<String> out = new ArrayList<>();
        tailers().forEach(t -> out.addAll(t.warnings()));
        return out;
    }

    /**
     * Raw logs that could not be written, what each slice's callback said on stdout, and Ansible's own warnings and
     * errors (but those repeating a warning of {@code alreadySaid}: a poll step's warning is in the callback's file
     * with its host, and Ansible prints it once more), named by slice.
     */
    List<String> stdoutWarnings(List<String> alreadySaid) {
        List<String> out = new ArrayList<>();
        for (Slice s : slices) {
            if (s.stdout() == null) {
                continue;
            }
            String prefix = s.files().label() == null ? "" : s.files().label() + ": ";
            if (s.stdout().rawLogFailure() != null) {
                out.add(prefix + s.stdout().rawLogFailure());
            }
            s.stdout().callbackSaid().forEach(w -> out.add(prefix + w));
            for (String said : s.stdout().ansibleSaid()) {
                if (alreadySaid.stream().noneMatch(w -> AnsibleMessages.repeats(said, w))) {
                    out.add(prefix + "ansible: " + said);
                }
            }
        }
        return out;
    }
}

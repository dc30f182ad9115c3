package dev.lb.history.record;

import java.util.List;
import java.util.Map;

/**
 * What the history keeps of one run, as its run directory says: the run, its labels, each host's machine and
 * system, each workload's definition, and per series (host × workload × metric) the statistics and every counted
 * repetition's value; the repetitions that did not count, with why.
 */
public record RunRecord(String runId, Double startedAt, Double endedAt, String outcome, Integer exitCode,
                        String lbVersion, String config, String configHash, Map<String, String> labels,
                        List<Host> hosts, List<Workload> workloads, List<SeriesResult> series,
                        List<ExcludedRepetition> excluded) {

    public RunRecord {
        labels = Map.copyOf(labels);
        hosts = List.copyOf(hosts);
        workloads = List.copyOf(workloads);
        series = List.copyOf(series);
        excluded = List.copyOf(excluded);
    }

    /** A host of the run: its alias, its machine, and what may change between runs on it (kernel, OS). */
    public record Host(String alias, HostFingerprint machine, String kernel, String os, String systemJson) {
        public String hostId() {
            return alias + "@" + machine.hash();
        }
    }

    /** A workload: its name and the hash of the fields that change what it measures. */
    public record Workload(String name, String definitionHash, String definitionJson) {
        public String workloadId() {
            return name + "@" + definitionHash;
        }
    }

    public record Value(int repetition, double value) {
    }

    /** One series in this run: results.json's figures for it, its role, and the adaptive-repetition verdict. */
    public record SeriesResult(String host, String workload, String metric, String unit, String direction,
                               boolean primary, int n, double mean, Double stdev, Double min, Double median,
                               Double p95, Double max, Double cv, String stable, List<Value> values) {
        public SeriesResult {
            values = List.copyOf(values);
        }
    }

    /** A repetition that does not count, why, and what it produced all the same (kept, never counted). */
    public record ExcludedRepetition(String host, String workload, int repetition, String status, String reason,
                                     List<ExcludedValue> values) {
        public ExcludedRepetition {
            values = List.copyOf(values);
        }
    }

    /** One metric an excluded repetition produced. */
    public record ExcludedValue(String metric, String unit, double value) {
    }
}

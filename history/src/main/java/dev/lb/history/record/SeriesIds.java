package dev.lb.history.record;

/** A series' key: host (alias + machine) × workload (name + definition) × metric (name + unit). */
public final class SeriesIds {
    private SeriesIds() {
    }

    public static String of(String hostId, String workloadId, String metric, String unit) {
        return Hashes.sha256(hostId + "\n" + workloadId + "\n" + metric + "\n" + unit).substring(0, 16);
    }
}

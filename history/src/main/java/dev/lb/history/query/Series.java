package dev.lb.history.query;

/**
 * A series of the history: host alias and machine fingerprint × workload name and definition hash × metric and
 * unit; the direction and primary role as its latest run recorded them.
 */
public record Series(String seriesId, String host, String fingerprint, String workload, String definitionHash,
                     String metric, String unit, String direction, boolean primary) {
    /** {@code host × workload × metric (unit)}. */
    public String name() {
        return host + " × " + workload + " × " + metric + (unit.isEmpty() ? "" : " (" + unit + ")");
    }
}

package dev.lb.history.query;

/** A gate verdict stored with a run ({@code lb history check}): what the report draws and a replay compares. */
public record StoredCheck(String runId, String verdict, double value, int earlierRuns, Double earlierMean,
                          Double lower, Double upper) {
}

package dev.lb.controller.listener;

/** Ingest's counters at one moment, for live headers. */
public record IngestStats(long accepted, long stdoutOnly, long jsonlOnly, long both, long duplicates, long rejected,
                          int gaps) {
}

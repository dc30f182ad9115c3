-- What a repetition that does not count (a warm-up, a failed or unfinished one) produced all the same: kept with its
-- reason (excluded_repetitions), never counted in a run's statistics. results.json carries them from this lb on;
-- runs recorded before have none here.
CREATE TABLE excluded_values (
    run_id      TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    host        TEXT NOT NULL,
    workload    TEXT NOT NULL,
    repetition  INTEGER NOT NULL,
    metric      TEXT NOT NULL,
    unit        TEXT NOT NULL,
    value       DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (run_id, host, workload, repetition, metric)
);

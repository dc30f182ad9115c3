-- lb's results history. One schema for SQLite and PostgreSQL: only types and statements both read the same way,
-- and natural text keys (hashes) instead of auto-increment columns, whose syntax differs between the two.

-- A run, as its run directory says when it is recorded. Recording a run again replaces everything that hangs off it
-- (ON DELETE CASCADE) in one transaction.
CREATE TABLE runs (
    run_id          TEXT PRIMARY KEY,
    started_at      DOUBLE PRECISION,           -- epoch seconds
    ended_at        DOUBLE PRECISION,
    outcome         TEXT,
    exit_code       INTEGER,
    lb_version      TEXT,
    config          TEXT,
    config_hash     TEXT,
    recorded_at     DOUBLE PRECISION NOT NULL
);

CREATE TABLE run_labels (
    run_id  TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    name    TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (run_id, name)
);

-- A machine behind an alias: the fingerprint hashes only fields that stay put (CPU model, logical cores, memory in
-- whole GiB, architecture), never clock speeds or bogomips, so that a new series starts only for another machine.
CREATE TABLE hosts (
    host_id         TEXT PRIMARY KEY,           -- alias + fingerprint
    alias           TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    cpu_model       TEXT,
    logical_cores   INTEGER,
    memory_gib      INTEGER,
    arch            TEXT
);

-- What changes from run to run on the same machine (kernel, OS): an attribute of the run, not a new series.
CREATE TABLE run_hosts (
    run_id      TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    host_id     TEXT NOT NULL REFERENCES hosts (host_id),
    kernel      TEXT,
    os          TEXT,
    system_json TEXT,
    PRIMARY KEY (run_id, host_id)
);

CREATE TABLE workloads (
    workload_id     TEXT PRIMARY KEY,           -- name + definition hash
    name            TEXT NOT NULL,
    definition_hash TEXT NOT NULL,
    definition_json TEXT
);

CREATE TABLE series (
    series_id   TEXT PRIMARY KEY,
    host_id     TEXT NOT NULL REFERENCES hosts (host_id),
    workload_id TEXT NOT NULL REFERENCES workloads (workload_id),
    metric      TEXT NOT NULL,
    unit        TEXT NOT NULL,
    UNIQUE (host_id, workload_id, metric, unit)
);

-- One series in one run: the statistics lb results computes, the metric's role, the stability verdict.
CREATE TABLE run_series (
    run_id      TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    series_id   TEXT NOT NULL REFERENCES series (series_id),
    direction   TEXT NOT NULL,
    is_primary  INTEGER NOT NULL,               -- 0 or 1: one spelling for both databases
    n           INTEGER NOT NULL,
    mean        DOUBLE PRECISION NOT NULL,
    stdev       DOUBLE PRECISION,
    min_value   DOUBLE PRECISION,
    median      DOUBLE PRECISION,
    p95         DOUBLE PRECISION,
    max_value   DOUBLE PRECISION,
    cv          DOUBLE PRECISION,
    stable      TEXT,                           -- adaptive repetitions' verdict, null for a fixed count
    PRIMARY KEY (run_id, series_id)
);
CREATE INDEX run_series_by_series ON run_series (series_id);

-- Every counted repetition's value.
CREATE TABLE repetition_values (
    run_id      TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    series_id   TEXT NOT NULL REFERENCES series (series_id),
    repetition  INTEGER NOT NULL,
    value       DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (run_id, series_id, repetition)
);

-- Repetitions that do not count (warm-ups, failed, timed out), with why; results.json keeps no value for them.
CREATE TABLE excluded_repetitions (
    run_id      TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    host        TEXT NOT NULL,
    workload    TEXT NOT NULL,
    repetition  INTEGER NOT NULL,
    status      TEXT,
    reason      TEXT NOT NULL,
    PRIMARY KEY (run_id, host, workload, repetition)
);

-- The user's decisions outlive re-recording a run, so they do not cascade from runs.
CREATE TABLE run_exclusions (
    run_id      TEXT PRIMARY KEY,
    reason      TEXT NOT NULL,
    excluded_at DOUBLE PRECISION NOT NULL
);

CREATE TABLE baselines (
    series_id   TEXT PRIMARY KEY,
    run_id      TEXT NOT NULL,
    set_at      DOUBLE PRECISION NOT NULL
);

-- The gate's verdict with what it rested on, so that a report can draw the band and the decision can be replayed.
CREATE TABLE checks (
    run_id          TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    series_id       TEXT NOT NULL REFERENCES series (series_id),
    verdict         TEXT NOT NULL,
    value           DOUBLE PRECISION,
    earlier_runs    INTEGER NOT NULL,
    earlier_mean    DOUBLE PRECISION,
    lower_bound     DOUBLE PRECISION,
    upper_bound     DOUBLE PRECISION,
    alpha           DOUBLE PRECISION NOT NULL,
    min_change      DOUBLE PRECISION NOT NULL,
    baseline_run    TEXT,
    checked_at      DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (run_id, series_id)
);

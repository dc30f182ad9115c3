-- Reading one series (lb history, show, check) must be one index range scan: at 10,000 runs x 50 series, joining
-- every run_series row to its run to sort by start, and finding each series' latest role by a sorted subquery, took
-- lb history 14 s and the gate 8 s (bench/history.sh). So each run_series row carries its run's start (a run's start
-- never changes: recording a run again rewrites its rows), and each series the role its latest run gave it.

ALTER TABLE run_series ADD COLUMN started_at DOUBLE PRECISION;
UPDATE run_series SET started_at = COALESCE((SELECT r.started_at FROM runs r WHERE r.run_id = run_series.run_id), 0);
-- Covering: it holds every column a series' runs are listed with, so listing reads no table row.
CREATE INDEX run_series_by_series_time ON run_series (series_id, started_at, run_id, n, mean, stdev, min_value,
                                                     max_value);

ALTER TABLE series ADD COLUMN direction TEXT;
ALTER TABLE series ADD COLUMN is_primary INTEGER;
UPDATE series SET
    direction = (SELECT rs.direction FROM run_series rs WHERE rs.series_id = series.series_id
                 ORDER BY rs.started_at DESC, rs.run_id DESC LIMIT 1),
    is_primary = (SELECT rs.is_primary FROM run_series rs WHERE rs.series_id = series.series_id
                  ORDER BY rs.started_at DESC, rs.run_id DESC LIMIT 1);

CREATE INDEX repetition_values_by_series ON repetition_values (series_id, run_id, repetition);

-- Reading one series (lb history, show, check) must not scan every repetition value or sort every run: at 10,000
-- runs x 50 series, without these, listing the series took 25 s and the gate 55 s (bench/history.sh).
CREATE INDEX repetition_values_by_series ON repetition_values (series_id, run_id, repetition);
CREATE INDEX runs_by_start ON runs (started_at, run_id);
CREATE INDEX run_labels_by_name ON run_labels (name, value);

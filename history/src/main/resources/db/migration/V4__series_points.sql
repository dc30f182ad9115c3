-- lb history and lb history check read every run of every series: at 10,000 runs x 50 series, fetching the 500,000
-- run_series rows one by one through JDBC was most of their time (bench/history.sh). So each series also keeps its
-- runs' points (run, start, n, mean, stdev, min, max, in the order the series is listed in: start, then run id)
-- packed in chunks of up to 1,000 runs, which a read fetches as a few dozen values instead of 500,000 rows. They are
-- derived from run_series only: the recorder rewrites them in the same transaction as the rows (appending when a
-- run comes after the series' last, rebuilding the series from its rows otherwise), and a store migrated from
-- schema 3 gets them filled in by lb right after this migration. A series without any chunk is read from its rows.
-- BYTEA: PostgreSQL's type for bytes; SQLite keeps a blob as it is whatever the column's declared type.
CREATE TABLE series_points (
    series_id   TEXT NOT NULL REFERENCES series (series_id),
    chunk       INTEGER NOT NULL,
    runs        INTEGER NOT NULL,
    points      BYTEA NOT NULL,
    PRIMARY KEY (series_id, chunk)
);

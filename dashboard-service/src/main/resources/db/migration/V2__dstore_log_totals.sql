-- The build log kept per run attempt, counted as its chunks arrive, and the indexes of the runs page. Chunks are keyed by run id and may come before any
-- event of the run (before its runs row exists); this count is the limit's one source, copied to runs.log_bytes and
-- runs.log_truncated whenever it changes or the run's row is created.
CREATE TABLE log_totals (
    run_id    VARCHAR(128) NOT NULL,
    attempt   INTEGER      NOT NULL,
    bytes     BIGINT       NOT NULL,
    truncated BOOLEAN      NOT NULL,
    PRIMARY KEY (run_id, attempt)
);

-- The runs page filters on one column and pages by (triggered_at, run_id, attempt): an index that holds the whole
-- order after the filter column lets both databases read a page off the index instead of sorting every matching run.
DROP INDEX runs_by_repository;
DROP INDEX runs_by_status;
DROP INDEX runs_by_branch;
CREATE INDEX runs_by_repository ON runs (repository, triggered_at DESC, run_id, attempt);
CREATE INDEX runs_by_status ON runs (status, triggered_at DESC, run_id, attempt);
CREATE INDEX runs_by_branch ON runs (branch, triggered_at DESC, run_id, attempt);
CREATE INDEX runs_by_stage ON runs (stage, triggered_at DESC, run_id, attempt);

-- The build log kept per run attempt, counted as its chunks arrive. Chunks are keyed by run id and may come before any
-- event of the run (before its runs row exists); this count is the limit's one source, copied to runs.log_bytes and
-- runs.log_truncated whenever it changes or the run's row is created.
CREATE TABLE log_totals (
    run_id    VARCHAR(128) NOT NULL,
    attempt   INTEGER      NOT NULL,
    bytes     BIGINT       NOT NULL,
    truncated BOOLEAN      NOT NULL,
    PRIMARY KEY (run_id, attempt)
);

-- The dashboard's read model. The same script runs on H2 (MODE=PostgreSQL) and on PostgreSQL: keep to the SQL both
-- speak. Every table is a projection of Kafka records and can be rebuilt from the topics while they keep them; the
-- offsets consumed are stored with the rows they produced, in the same transaction, so a restart neither loses nor
-- applies twice. Text from events (commit messages, names, logs, reports) is untrusted: pages escape it.

-- Where to read on, per topic partition: the offset of the next record to apply.
CREATE TABLE consumed_offsets (
    topic           VARCHAR(249) NOT NULL,
    kafka_partition INTEGER      NOT NULL,
    next_offset     BIGINT       NOT NULL,
    PRIMARY KEY (topic, kafka_partition)
);

-- One row per run attempt (a manual re-run is a new attempt of the same run id).
CREATE TABLE runs (
    run_id            VARCHAR(128)  NOT NULL,
    attempt           INTEGER       NOT NULL,
    repository        VARCHAR(256)  NOT NULL,
    ref               VARCHAR(512)  NOT NULL,
    -- The branch or tag name shown (refs/heads/ and refs/tags/ cut off); for a request run, its source branch.
    branch            VARCHAR(512)  NOT NULL,
    sha               VARCHAR(64)   NOT NULL,
    -- The first line of the commit message, at most 200 characters; the whole message, at most 8 KiB.
    title             VARCHAR(200)  NOT NULL,
    message           VARCHAR(8192) NOT NULL,
    author            VARCHAR(256)  NOT NULL,
    -- As the commit says (the pusher's clock); triggered_at is when Slipway accepted the push.
    commit_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    repository_url    VARCHAR(1024),
    request_number    INTEGER,
    request_kind      VARCHAR(8),
    request_url       VARCHAR(1024),
    triggered_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    accepted_sequence BIGINT        NOT NULL,
    -- The last stage the run reached: TRIGGER, BUILD, TEST, DELIVER, DEPLOY (io.slipway.events.Stage names).
    stage             VARCHAR(16)   NOT NULL,
    -- RUNNING, SUCCEEDED (published; for a request run: tested), FAILED, CANCELLED (superseded or closed request).
    status            VARCHAR(16)   NOT NULL,
    -- BuildFailed.reasonCode of a FAILED or CANCELLED run.
    reason            VARCHAR(64),
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    -- When the run reached SUCCEEDED, FAILED or CANCELLED; null while RUNNING.
    finished_at       TIMESTAMP WITH TIME ZONE,
    -- Build log kept for this attempt, in bytes of UTF-8, and whether chunks were dropped at the limit.
    log_bytes         BIGINT        NOT NULL DEFAULT 0,
    log_truncated     BOOLEAN       NOT NULL DEFAULT FALSE,
    PRIMARY KEY (run_id, attempt)
);
CREATE INDEX runs_newest ON runs (triggered_at DESC, run_id, attempt);
CREATE INDEX runs_by_repository ON runs (repository, triggered_at DESC);
CREATE INDEX runs_by_status ON runs (status, triggered_at DESC);
CREATE INDEX runs_by_branch ON runs (branch, triggered_at DESC);

-- Every event of a run attempt, once (event id), for the timeline and the stage durations.
CREATE TABLE run_events (
    event_id    VARCHAR(64)   NOT NULL PRIMARY KEY,
    run_id      VARCHAR(128)  NOT NULL,
    attempt     INTEGER       NOT NULL,
    -- The Avro record name: CommitReceived, ImageBuilt, TestsPassed, ArtifactPublished, Deployed, BuildFailed.
    kind        VARCHAR(32)   NOT NULL,
    -- The stage that emitted it (io.slipway.events.Stage names).
    stage       VARCHAR(16)   NOT NULL,
    -- The event's emittedAt (triggeredAt for CommitReceived).
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
    environment VARCHAR(64),
    -- One line for the timeline, e.g. "built sha256:… in 42.1 s (cache hit)".
    summary     VARCHAR(1024) NOT NULL,
    -- The event as Avro JSON, for the run page's event list (bounded to 64 KiB).
    detail      TEXT          NOT NULL
);
CREATE INDEX run_events_by_run ON run_events (run_id, attempt, occurred_at);
CREATE INDEX run_events_by_kind ON run_events (kind, occurred_at);

-- The image a run attempt built (STAGED, from ImageBuilt) and published (RELEASED, from ArtifactPublished).
CREATE TABLE run_artifacts (
    run_id      VARCHAR(128)  NOT NULL,
    attempt     INTEGER       NOT NULL,
    phase       VARCHAR(8)    NOT NULL,
    kind        VARCHAR(16)   NOT NULL,
    registry    VARCHAR(256)  NOT NULL,
    repository  VARCHAR(512)  NOT NULL,
    digest      VARCHAR(256)  NOT NULL,
    -- Tags and labels as JSON (an array; an object), empty when the event carries none.
    tags        VARCHAR(8192) NOT NULL,
    labels      VARCHAR(16384) NOT NULL,
    PRIMARY KEY (run_id, attempt, phase)
);

-- The failure that ended a run attempt, or failed a deployment of it (stage DEPLOY, environment set).
CREATE TABLE failures (
    event_id    VARCHAR(64)   NOT NULL PRIMARY KEY,
    run_id      VARCHAR(128)  NOT NULL,
    attempt     INTEGER       NOT NULL,
    repository  VARCHAR(256)  NOT NULL,
    stage       VARCHAR(16)   NOT NULL,
    reason      VARCHAR(64)   NOT NULL,
    message     VARCHAR(4096) NOT NULL,
    log_excerpt TEXT,
    retryable   BOOLEAN       NOT NULL,
    environment VARCHAR(64),
    failed_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX failures_by_run ON failures (run_id, attempt);
CREATE INDEX failures_by_time ON failures (failed_at);

-- Build log chunks of a run attempt, once each (sequence), within the attempt's limit (runs.log_bytes).
CREATE TABLE log_chunks (
    run_id     VARCHAR(128) NOT NULL,
    attempt    INTEGER      NOT NULL,
    stage      VARCHAR(16)  NOT NULL,
    sequence   BIGINT       NOT NULL,
    text       TEXT         NOT NULL,
    last_chunk BOOLEAN      NOT NULL,
    emitted_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (run_id, attempt, stage, sequence)
);

-- The test report of a run attempt: the JUnit XML as received, and its cases parsed for the page.
CREATE TABLE test_reports (
    run_id      VARCHAR(128) NOT NULL,
    attempt     INTEGER      NOT NULL,
    passed      BOOLEAN      NOT NULL,
    truncated   BOOLEAN      NOT NULL,
    junit_xml   TEXT         NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (run_id, attempt)
);
CREATE TABLE test_cases (
    run_id          VARCHAR(128)  NOT NULL,
    attempt         INTEGER       NOT NULL,
    -- Order in the report.
    position        INTEGER       NOT NULL,
    suite           VARCHAR(512)  NOT NULL,
    name            VARCHAR(1024) NOT NULL,
    -- FAILED, ERROR, SKIPPED or PASSED.
    outcome         VARCHAR(8)    NOT NULL,
    message         VARCHAR(8192),
    duration_millis BIGINT        NOT NULL,
    PRIMARY KEY (run_id, attempt, position)
);

-- Every Deployed event: what ran where, from which run, since when. The DORA metrics are computed from these rows,
-- the runs' commit and trigger times, and the failures at stage DEPLOY.
CREATE TABLE deployments (
    event_id          VARCHAR(64)   NOT NULL PRIMARY KEY,
    environment       VARCHAR(64)   NOT NULL,
    repository        VARCHAR(256)  NOT NULL,
    run_id            VARCHAR(128)  NOT NULL,
    attempt           INTEGER       NOT NULL,
    target_kind       VARCHAR(16)   NOT NULL,
    artifact_kind     VARCHAR(16)   NOT NULL,
    registry          VARCHAR(256)  NOT NULL,
    image_repository  VARCHAR(512)  NOT NULL,
    digest            VARCHAR(256)  NOT NULL,
    previous_digest   VARCHAR(256),
    url               VARCHAR(1024),
    rollback          BOOLEAN       NOT NULL,
    rolled_back_run_id VARCHAR(128),
    reason            VARCHAR(512),
    -- The run's commit time and trigger time, copied from the event's run context (lead time needs no join).
    commit_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    triggered_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    deployed_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX deployments_by_environment ON deployments (environment, repository, deployed_at DESC);
CREATE INDEX deployments_by_time ON deployments (deployed_at);
CREATE INDEX deployments_by_run ON deployments (run_id, attempt);

-- The deployer's state per environment and repository (slipway.deployer.state), latest record wins: what runs there
-- and the promotion waiting to go there (the environments page's approve button).
CREATE TABLE environment_states (
    environment       VARCHAR(64)  NOT NULL,
    repository        VARCHAR(256) NOT NULL,
    current_run_id    VARCHAR(128),
    current_attempt   INTEGER,
    current_digest    VARCHAR(256),
    current_url       VARCHAR(1024),
    current_since     TIMESTAMP WITH TIME ZONE,
    pending_run_id    VARCHAR(128),
    pending_attempt   INTEGER,
    pending_digest    VARCHAR(256),
    pending_from      VARCHAR(64),
    pending_not_before TIMESTAMP WITH TIME ZONE,
    pending_approval_required BOOLEAN,
    pending_approved_by VARCHAR(256),
    pending_since     TIMESTAMP WITH TIME ZONE,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (environment, repository)
);

package io.slipway.dashboard.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.dashboard.domain.LiveChanges;
import io.slipway.dashboard.domain.RunChange;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.BuildFailed;
import io.slipway.events.CommitReceived;
import io.slipway.events.Deployed;
import io.slipway.events.DeploymentRecord;
import io.slipway.events.EnvironmentState;
import io.slipway.events.ImageBuilt;
import io.slipway.events.LogChunk;
import io.slipway.events.PendingPromotion;
import io.slipway.events.RunContext;
import io.slipway.events.Stage;
import io.slipway.events.TestReport;
import io.slipway.events.TestsPassed;
import org.apache.avro.specific.SpecificRecord;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies consumed records to the read model. A batch (one poll) is one transaction together with the offsets it
 * reached in {@code consumed_offsets}; each record is applied once (event id, chunk sequence, run attempt keys), never
 * moves a run backwards, and is bounded (the log limit per attempt, column sizes). A record that cannot be applied is
 * rolled back alone and handed to the batch's failure handler before the commit; the changes are announced to
 * {@link LiveChanges} only after the commit.
 */
public final class JdbcProjection {

    /** Receives a record that could not be applied, inside the transaction; throwing rolls the whole batch back. */
    @FunctionalInterface
    public interface FailureHandler {
        void failed(ProjectedRecord record, Exception cause);
    }

    static final int DETAIL_MAX = 64 * 1024;
    static final int CHUNK_MAX_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final long logLimit;
    private final LiveChanges live;

    public JdbcProjection(DataSource dataSource, long logLimit, LiveChanges live) {
        if (logLimit < 0) {
            throw new IllegalArgumentException("the log limit must not be negative, got " + logLimit);
        }
        this.dataSource = dataSource;
        this.logLimit = logLimit;
        this.live = live;
    }

    /** Where to read on: the next offset of every topic partition a batch was committed for. */
    public Map<String, Map<Integer, Long>> offsets() throws SQLException {
        Map<String, Map<Integer, Long>> offsets = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT topic, kafka_partition, next_offset FROM consumed_offsets");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                offsets.computeIfAbsent(rows.getString(1), t -> new TreeMap<>()).put(rows.getInt(2), rows.getLong(3));
            }
        }
        return offsets;
    }

    /**
     * Applies {@code records} (in consumption order) and stores the offsets after them, in one transaction, then
     * announces the changes. A record already applied changes nothing; one that fails is rolled back alone and given
     * to {@code failures}.
     *
     * @return the changes committed
     * @throws SQLException when the database fails; nothing of the batch is then committed
     */
    public List<RunChange> apply(List<ProjectedRecord> records, FailureHandler failures) throws SQLException {
        Set<RunChange> changes = new LinkedHashSet<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Map<String, Map<Integer, Long>> next = new HashMap<>();
                for (ProjectedRecord record : records) {
                    next.computeIfAbsent(record.topic(), t -> new HashMap<>())
                            .merge(record.partition(), record.offset() + 1, Math::max);
                    if (record.skip()) {
                        continue;
                    }
                    Savepoint savepoint = connection.setSavepoint();
                    List<RunChange> applied = new ArrayList<>();
                    try {
                        new Applier(connection, applied).apply(record);
                        connection.releaseSavepoint(savepoint);
                        changes.addAll(applied);
                    } catch (SQLException | RuntimeException e) {
                        connection.rollback(savepoint);
                        failures.failed(record, e);
                    }
                }
                storeOffsets(connection, next);
                connection.commit();
            } catch (SQLException | RuntimeException | Error e) {
                connection.rollback();
                throw e;
            }
        }
        List<RunChange> committed = List.copyOf(changes);
        committed.forEach(live::publish);
        return committed;
    }

    private static void storeOffsets(Connection connection, Map<String, Map<Integer, Long>> next) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE consumed_offsets SET next_offset = ? WHERE topic = ? AND kafka_partition = ?");
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO consumed_offsets (topic, kafka_partition, next_offset) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, Map<Integer, Long>> topic : next.entrySet()) {
                for (Map.Entry<Integer, Long> partition : topic.getValue().entrySet()) {
                    update.setLong(1, partition.getValue());
                    update.setString(2, topic.getKey());
                    update.setInt(3, partition.getKey());
                    if (update.executeUpdate() == 0) {
                        insert.setString(1, topic.getKey());
                        insert.setInt(2, partition.getKey());
                        insert.setLong(3, partition.getValue());
                        insert.executeUpdate();
                    }
                }
            }
        }
    }

    /** The application of one record on the batch's connection. */
    private final class Applier {

        private final Connection connection;
        private final List<RunChange> changes;

        Applier(Connection connection, List<RunChange> changes) {
            this.connection = connection;
            this.changes = changes;
        }

        void apply(ProjectedRecord record) throws SQLException {
            SpecificRecord event = record.event();
            if (event == null) {
                tombstone(record);
                return;
            }
            if (event instanceof CommitReceived e) {
                runEvent(e.getEventId(), e.getRun(), "CommitReceived", Stage.TRIGGER,
                        e.getRun().getTriggeredAt(), null, Summaries.of(e), event, () -> {
                        });
            } else if (event instanceof ImageBuilt e) {
                runEvent(e.getEventId(), e.getRun(), "ImageBuilt", Stage.BUILD, e.getEmittedAt(),
                        null, Summaries.of(e), event, () -> {
                            artifact(e.getRun(), "STAGED", e.getKind().name(), e.getImage().getRegistry(),
                                    e.getImage().getRepository(), e.getImage().getDigest(),
                                    e.getImage().getTag() == null ? List.of() : List.of(e.getImage().getTag()),
                                    e.getLabels());
                            progress(e.getRun(), RunProgress.Event.IMAGE_BUILT, null, null, e.getEmittedAt());
                        });
            } else if (event instanceof TestsPassed e) {
                runEvent(e.getEventId(), e.getRun(), "TestsPassed", Stage.TEST, e.getEmittedAt(),
                        null, Summaries.of(e), event, () -> progress(e.getRun(),
                                e.getRun().getRequest() == null ? RunProgress.Event.TESTS_PASSED
                                        : RunProgress.Event.REQUEST_TESTS_PASSED, null, null, e.getEmittedAt()));
            } else if (event instanceof ArtifactPublished e) {
                runEvent(e.getEventId(), e.getRun(), "ArtifactPublished", Stage.DELIVER,
                        e.getEmittedAt(), null, Summaries.of(e), event, () -> {
                            artifact(e.getRun(), "RELEASED", e.getKind().name(), e.getRegistry(), e.getRepository(),
                                    e.getDigest(), e.getTags(), Map.of());
                            progress(e.getRun(), RunProgress.Event.PUBLISHED, null, null, e.getEmittedAt());
                        });
            } else if (event instanceof Deployed e) {
                runEvent(e.getEventId(), e.getRun(), "Deployed", Stage.DEPLOY, e.getEmittedAt(),
                        e.getEnvironment(), Summaries.of(e), event, () -> {
                            deployment(e);
                            progress(e.getRun(), RunProgress.Event.DEPLOYED, null, null, e.getEmittedAt());
                            changes.add(new RunChange(RunChange.Kind.ENVIRONMENT, e.getRun().getRunId(),
                                    e.getRun().getAttempt(), e.getRun().getRepository().getFullName(),
                                    e.getEnvironment()));
                        });
            } else if (event instanceof BuildFailed e) {
                runEvent(e.getEventId(), e.getRun(), "BuildFailed", e.getStage(),
                        e.getEmittedAt(), e.getEnvironment(), Summaries.of(e), event, () -> {
                            failure(e);
                            progress(e.getRun(), RunProgress.failure(e.getStage(), e.getReasonCode()),
                                    e.getStage(), e.getReasonCode(), e.getEmittedAt());
                        });
            } else if (event instanceof LogChunk e) {
                logChunk(e);
            } else if (event instanceof TestReport e) {
                testReport(e);
            } else if (event instanceof EnvironmentState e) {
                environmentState(e);
            } else {
                throw new IllegalArgumentException("the dashboard does not read "
                        + event.getSchema().getFullName() + " (from " + record.topic() + ")");
            }
        }

        private void tombstone(ProjectedRecord record) throws SQLException {
            if (!io.slipway.schemas.Topics.DEPLOYER_STATE.equals(record.topic()) || record.key() == null) {
                return;
            }
            int bar = record.key().indexOf('|');
            if (bar < 0) {
                throw new IllegalArgumentException("a deployer state key is <environment>|<repository>, not "
                        + record.key());
            }
            String environment = record.key().substring(0, bar);
            String repository = record.key().substring(bar + 1);
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM environment_states WHERE environment = ? AND repository = ?")) {
                delete.setString(1, environment);
                delete.setString(2, repository);
                if (delete.executeUpdate() > 0) {
                    changes.add(new RunChange(RunChange.Kind.ENVIRONMENT, null, 0, repository, environment));
                }
            }
        }

        private void runEvent(String eventId, RunContext run, String kind, Stage stage, Instant occurredAt,
                              String environment, String summary, SpecificRecord event, SqlAction rest)
                throws SQLException {
            // Cut to its column, a longer id would be stored under another one and its duplicate not be recognised.
            String id = requireBounded(eventId, 64, "event id");
            if (exists("SELECT 1 FROM run_events WHERE event_id = ?", id)) {
                return;
            }
            ensureRun(run, occurredAt);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO run_events (event_id, run_id, "
                    + "attempt, kind, stage, occurred_at, environment, summary, detail) VALUES (?,?,?,?,?,?,?,?,?)")) {
                insert.setString(1, id);
                insert.setString(2, run.getRunId());
                insert.setInt(3, run.getAttempt());
                insert.setString(4, kind);
                insert.setString(5, stage.name());
                Sql.instant(insert, 6, occurredAt);
                insert.setString(7, Sql.bounded(environment, 64));
                insert.setString(8, Sql.bounded(summary, 1024));
                insert.setString(9, Sql.bounded(event.toString(), DETAIL_MAX));
                insert.executeUpdate();
            }
            rest.run();
            changes.add(new RunChange(RunChange.Kind.RUN, run.getRunId(), run.getAttempt(),
                    run.getRepository().getFullName(), null));
        }

        /** Creates the run attempt's row from the first event of it that arrives. */
        private void ensureRun(RunContext run, Instant at) throws SQLException {
            if (RunProgress.current(connection, run.getRunId(), run.getAttempt()) != null) {
                return;
            }
            LogTotal total = logTotal(run.getRunId(), run.getAttempt());
            long bytes = total == null ? 0 : total.bytes();
            boolean truncated = total != null && total.truncated();
            String message = run.getCommit().getMessage();
            var request = run.getRequest();
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO runs (run_id, attempt, "
                    + "repository, ref, branch, sha, title, message, author, commit_time, repository_url, "
                    + "request_number, request_kind, request_url, triggered_at, accepted_sequence, stage, status, "
                    + "updated_at, log_bytes, log_truncated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                insert.setString(1, requireBounded(run.getRunId(), 128, "run id"));
                insert.setInt(2, run.getAttempt());
                insert.setString(3, requireBounded(run.getRepository().getFullName(), 256, "repository"));
                insert.setString(4, Sql.bounded(run.getCommit().getRef(), 512));
                insert.setString(5, Sql.bounded(branch(run), 512));
                insert.setString(6, Sql.bounded(run.getCommit().getSha(), 64));
                insert.setString(7, Sql.bounded(title(message), 200));
                insert.setString(8, Sql.bounded(message, 8192));
                insert.setString(9, Sql.bounded(run.getCommit().getAuthorName(), 256));
                Sql.instant(insert, 10, run.getCommit().getTimestamp());
                insert.setString(11, Sql.bounded(run.getRepository().getWebUrl(), 1024));
                Sql.integer(insert, 12, request == null ? null : request.getNumber());
                insert.setString(13, request == null ? null : Sql.bounded(request.getKind(), 8));
                insert.setString(14, request == null ? null : Sql.bounded(request.getWebUrl(), 1024));
                Sql.instant(insert, 15, run.getTriggeredAt());
                insert.setLong(16, run.getAcceptedSequence());
                insert.setString(17, Stage.TRIGGER.name());
                insert.setString(18, "RUNNING");
                Sql.instant(insert, 19, at);
                insert.setLong(20, bytes);
                insert.setBoolean(21, truncated);
                insert.executeUpdate();
            }
        }

        private void progress(RunContext run, RunProgress.Event event, Stage stage, String reason, Instant at)
                throws SQLException {
            RunProgress.State current = RunProgress.current(connection, run.getRunId(), run.getAttempt());
            RunProgress.State next = RunProgress.next(current, event, stage, Sql.bounded(reason, 64), at);
            if (!next.equals(current)) {
                RunProgress.store(connection, run.getRunId(), run.getAttempt(), next);
            }
        }

        private void artifact(RunContext run, String phase, String kind, String registry, String repository,
                              String digest, List<String> tags, Map<String, String> labels) throws SQLException {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO run_artifacts (run_id, attempt, "
                    + "phase, kind, registry, repository, digest, tags, labels) SELECT ?,?,?,?,?,?,?,?,? WHERE NOT "
                    + "EXISTS (SELECT 1 FROM run_artifacts WHERE run_id = ? AND attempt = ? AND phase = ?)")) {
                insert.setString(1, run.getRunId());
                insert.setInt(2, run.getAttempt());
                insert.setString(3, phase);
                insert.setString(4, kind);
                insert.setString(5, Sql.bounded(registry, 256));
                insert.setString(6, Sql.bounded(repository, 512));
                insert.setString(7, Sql.bounded(digest, 256));
                insert.setString(8, json(boundedTags(tags), 8192, "[]"));
                insert.setString(9, json(boundedLabels(labels), 16384, "{}"));
                insert.setString(10, run.getRunId());
                insert.setInt(11, run.getAttempt());
                insert.setString(12, phase);
                insert.executeUpdate();
            }
        }

        private void deployment(Deployed e) throws SQLException {
            RunContext run = e.getRun();
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO deployments (event_id, "
                    + "environment, repository, run_id, attempt, target_kind, artifact_kind, registry, "
                    + "image_repository, digest, previous_digest, url, rollback, rolled_back_run_id, reason, "
                    + "commit_time, triggered_at, deployed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                insert.setString(1, Sql.bounded(e.getEventId(), 64));
                insert.setString(2, requireBounded(e.getEnvironment(), 64, "environment"));
                insert.setString(3, run.getRepository().getFullName());
                insert.setString(4, run.getRunId());
                insert.setInt(5, run.getAttempt());
                insert.setString(6, e.getTargetKind().name());
                insert.setString(7, e.getKind().name());
                insert.setString(8, Sql.bounded(e.getRegistry(), 256));
                insert.setString(9, Sql.bounded(e.getRepository(), 512));
                insert.setString(10, Sql.bounded(e.getDigest(), 256));
                insert.setString(11, Sql.bounded(e.getPreviousDigest(), 256));
                insert.setString(12, Sql.bounded(e.getUrl(), 1024));
                insert.setBoolean(13, e.getRollback());
                insert.setString(14, Sql.bounded(e.getRolledBackRunId(), 128));
                insert.setString(15, Sql.bounded(e.getReason(), 512));
                Sql.instant(insert, 16, run.getCommit().getTimestamp());
                Sql.instant(insert, 17, run.getTriggeredAt());
                Sql.instant(insert, 18, e.getEmittedAt());
                insert.executeUpdate();
            }
        }

        private void failure(BuildFailed e) throws SQLException {
            RunContext run = e.getRun();
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO failures (event_id, run_id, "
                    + "attempt, repository, stage, reason, message, log_excerpt, retryable, environment, failed_at) "
                    + "VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
                insert.setString(1, Sql.bounded(e.getEventId(), 64));
                insert.setString(2, run.getRunId());
                insert.setInt(3, run.getAttempt());
                insert.setString(4, run.getRepository().getFullName());
                insert.setString(5, e.getStage().name());
                insert.setString(6, Sql.bounded(e.getReasonCode(), 64));
                insert.setString(7, Sql.bounded(e.getMessage(), 4096));
                insert.setString(8, Sql.bounded(e.getLogExcerpt(), DETAIL_MAX));
                insert.setBoolean(9, e.getRetryable());
                insert.setString(10, Sql.bounded(e.getEnvironment(), 64));
                Sql.instant(insert, 11, e.getEmittedAt());
                insert.executeUpdate();
            }
        }

        /** Whether {@code sql} (a SELECT with parameters {@code values}) finds a row: a record already applied. */
        private boolean exists(String sql, Object... values) throws SQLException {
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    select.setObject(i + 1, values[i]);
                }
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next();
                }
            }
        }

        /** The log kept so far for a run attempt, or null before its first chunk. */
        private LogTotal logTotal(String runId, int attempt) throws SQLException {
            try (PreparedStatement totals = connection.prepareStatement(
                    "SELECT bytes, truncated FROM log_totals WHERE run_id = ? AND attempt = ?")) {
                totals.setString(1, runId);
                totals.setInt(2, attempt);
                try (ResultSet rows = totals.executeQuery()) {
                    return rows.next() ? new LogTotal(rows.getLong(1), rows.getBoolean(2)) : null;
                }
            }
        }

        private void logChunk(LogChunk e) throws SQLException {
            String runId = requireBounded(e.getRunId(), 128, "run id");
            if (exists("SELECT 1 FROM log_chunks WHERE run_id = ? AND attempt = ? AND stage = ? AND sequence = ?",
                    runId, e.getAttempt(), e.getStage().name(), e.getSequence())) {
                return;
            }
            LogTotal total = logTotal(runId, e.getAttempt());
            boolean known = total != null;
            long bytes = known ? total.bytes() : 0;
            boolean truncated = known && total.truncated();
            String text = boundedUtf8(e.getText(), CHUNK_MAX_BYTES);
            long size = text.getBytes(StandardCharsets.UTF_8).length;
            // A stage's log ends at its last chunk, or at the first chunk the limit drops: keeping a later, smaller
            // chunk would leave a hole in the middle of the log, and the end marker says the log will not grow.
            boolean ended = exists("SELECT 1 FROM log_chunks WHERE run_id = ? AND attempt = ? AND stage = ? "
                    + "AND last_chunk = TRUE", runId, e.getAttempt(), e.getStage().name());
            boolean kept = !ended && bytes + size <= logLimit;
            if (kept) {
                insertChunk(e, runId, text, e.getLast());
                bytes += size;
            } else if (!ended) {
                insertChunk(e, runId, "", true);
            }
            truncated = truncated || !kept || e.getTruncated() || !text.equals(e.getText());
            String sql = known ? "UPDATE log_totals SET bytes = ?, truncated = ? WHERE run_id = ? AND attempt = ?"
                    : "INSERT INTO log_totals (bytes, truncated, run_id, attempt) VALUES (?,?,?,?)";
            try (PreparedStatement write = connection.prepareStatement(sql)) {
                write.setLong(1, bytes);
                write.setBoolean(2, truncated);
                write.setString(3, runId);
                write.setInt(4, e.getAttempt());
                write.executeUpdate();
            }
            try (PreparedStatement run = connection.prepareStatement(
                    "UPDATE runs SET log_bytes = ?, log_truncated = ? WHERE run_id = ? AND attempt = ?")) {
                run.setLong(1, bytes);
                run.setBoolean(2, truncated);
                run.setString(3, runId);
                run.setInt(4, e.getAttempt());
                run.executeUpdate();
            }
            changes.add(new RunChange(RunChange.Kind.LOG, runId, e.getAttempt(),
                    Sql.bounded(e.getRepository(), 256), null));
        }

        private void insertChunk(LogChunk e, String runId, String text, boolean last) throws SQLException {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO log_chunks (run_id, attempt, "
                    + "stage, sequence, text, last_chunk, emitted_at) VALUES (?,?,?,?,?,?,?)")) {
                insert.setString(1, runId);
                insert.setInt(2, e.getAttempt());
                insert.setString(3, e.getStage().name());
                insert.setLong(4, e.getSequence());
                insert.setString(5, text);
                insert.setBoolean(6, last);
                Sql.instant(insert, 7, e.getEmittedAt());
                insert.executeUpdate();
            }
        }

        private void testReport(TestReport e) throws SQLException {
            RunContext run = e.getRun();
            if (exists("SELECT 1 FROM test_reports WHERE run_id = ? AND attempt = ?", run.getRunId(),
                    run.getAttempt())) {
                return;
            }
            ensureRun(run, e.getEmittedAt());
            String xml = Sql.bounded(e.getJunitXml(), JunitCases.MAX_CHARS);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO test_reports (run_id, attempt, "
                    + "passed, truncated, junit_xml, received_at) VALUES (?,?,?,?,?,?)")) {
                insert.setString(1, run.getRunId());
                insert.setInt(2, run.getAttempt());
                insert.setBoolean(3, e.getPassed());
                insert.setBoolean(4, e.getTruncated() || xml.length() < e.getJunitXml().length());
                insert.setString(5, xml);
                Sql.instant(insert, 6, e.getEmittedAt());
                insert.executeUpdate();
            }
            List<JunitCases.Case> cases = JunitCases.parse(xml).orElse(List.of());
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO test_cases (run_id, attempt, "
                    + "position, suite, name, outcome, message, duration_millis) VALUES (?,?,?,?,?,?,?,?)")) {
                int position = 0;
                for (JunitCases.Case testCase : cases) {
                    insert.setString(1, run.getRunId());
                    insert.setInt(2, run.getAttempt());
                    insert.setInt(3, position++);
                    insert.setString(4, Sql.bounded(testCase.suite(), 512));
                    insert.setString(5, Sql.bounded(testCase.name(), 1024));
                    insert.setString(6, testCase.outcome());
                    insert.setString(7, Sql.bounded(testCase.message(), 8192));
                    insert.setLong(8, testCase.durationMillis());
                    insert.addBatch();
                }
                if (!cases.isEmpty()) {
                    insert.executeBatch();
                }
            }
            changes.add(new RunChange(RunChange.Kind.RUN, run.getRunId(), run.getAttempt(),
                    run.getRepository().getFullName(), null));
        }

        private void environmentState(EnvironmentState e) throws SQLException {
            String environment = requireBounded(e.getEnvironment(), 64, "environment");
            String repository = requireBounded(e.getRepository(), 256, "repository");
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM environment_states WHERE environment = ? AND repository = ?")) {
                delete.setString(1, environment);
                delete.setString(2, repository);
                delete.executeUpdate();
            }
            DeploymentRecord current = e.getCurrent();
            PendingPromotion pending = e.getPending();
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO environment_states (environment, "
                    + "repository, current_run_id, current_attempt, current_digest, current_url, current_since, "
                    + "pending_run_id, pending_attempt, pending_digest, pending_from, pending_not_before, "
                    + "pending_approval_required, pending_approved_by, pending_since, updated_at) "
                    + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                insert.setString(1, environment);
                insert.setString(2, repository);
                insert.setString(3, current == null ? null : Sql.bounded(current.getRun().getRunId(), 128));
                Sql.integer(insert, 4, current == null ? null : current.getRun().getAttempt());
                insert.setString(5, current == null ? null : Sql.bounded(current.getDigest(), 256));
                insert.setString(6, current == null ? null : Sql.bounded(current.getUrl(), 1024));
                Sql.instant(insert, 7, current == null ? null : current.getDeployedAt());
                DeploymentRecord artifact = pending == null ? null : pending.getArtifact();
                insert.setString(8, artifact == null ? null : Sql.bounded(artifact.getRun().getRunId(), 128));
                Sql.integer(insert, 9, artifact == null ? null : artifact.getRun().getAttempt());
                insert.setString(10, artifact == null ? null : Sql.bounded(artifact.getDigest(), 256));
                insert.setString(11, pending == null ? null : Sql.bounded(pending.getFromEnvironment(), 64));
                Sql.instant(insert, 12, pending == null ? null : pending.getNotBefore());
                Sql.bool(insert, 13, pending == null ? null : pending.getApprovalRequired());
                insert.setString(14, pending == null ? null : Sql.bounded(pending.getApprovedBy(), 256));
                Sql.instant(insert, 15, pending == null ? null : pending.getWaitingSince());
                Sql.instant(insert, 16, e.getUpdatedAt());
                insert.executeUpdate();
            }
            changes.add(new RunChange(RunChange.Kind.ENVIRONMENT, current == null ? null : current.getRun().getRunId(),
                    current == null ? 0 : current.getRun().getAttempt(), repository, environment));
        }
    }

    private record LogTotal(long bytes, boolean truncated) {
    }

    @FunctionalInterface
    private interface SqlAction {
        void run() throws SQLException;
    }

    /** A key column's value: too long is an error (cutting it could merge two runs), not a truncation. */
    private static String requireBounded(String value, int max, String what) {
        if (value == null || value.isEmpty() || value.length() > max) {
            throw new IllegalArgumentException(what + " must have 1 to " + max + " characters");
        }
        return value;
    }

    static String branch(RunContext run) {
        if (run.getRequest() != null) {
            return run.getRequest().getSourceBranch();
        }
        String ref = run.getCommit().getRef();
        for (String prefix : List.of("refs/heads/", "refs/tags/")) {
            if (ref.startsWith(prefix)) {
                return ref.substring(prefix.length());
            }
        }
        return ref;
    }

    static String title(String message) {
        String stripped = message.strip();
        int end = stripped.indexOf('\n');
        return (end < 0 ? stripped : stripped.substring(0, end)).strip();
    }

    /** At most {@code maxBytes} bytes of UTF-8, cut at a character boundary. */
    static String boundedUtf8(String text, int maxBytes) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return text;
        }
        int end = maxBytes;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    private static List<String> boundedTags(List<String> tags) {
        return tags.stream().limit(100).map(tag -> Sql.bounded(tag, 128)).toList();
    }

    private static Map<String, String> boundedLabels(Map<String, String> labels) {
        Map<String, String> bounded = new TreeMap<>();
        labels.entrySet().stream().limit(100).forEach(label ->
                bounded.put(Sql.bounded(label.getKey(), 128), Sql.bounded(label.getValue(), 512)));
        return bounded;
    }

    private static String json(Object value, int max, String empty) {
        try {
            String json = JSON.writeValueAsString(value);
            return json.length() <= max ? json : empty;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}

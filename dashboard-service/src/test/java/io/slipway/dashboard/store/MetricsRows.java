package io.slipway.dashboard.store;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * A throwaway H2 read model (the service's migrations, PostgreSQL mode) and the few rows the delivery metrics read,
 * inserted directly: deployments, failures, runs and their events.
 */
public final class MetricsRows {

    private final JdbcDataSource dataSource = new JdbcDataSource();

    public MetricsRows() {
        this(memoryUrl());
    }

    /** Rows in the database at {@code url}, migrated first if the service has not done it yet. */
    public MetricsRows(String url) {
        dataSource.setURL(url);
        dataSource.setUser("slipway");
        dataSource.setPassword("");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    /** A new, empty in-memory H2 database in the service's mode, kept until the JVM ends. */
    public static String memoryUrl() {
        return "jdbc:h2:mem:metrics-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** A Deployed row; {@code rolledBackRunId} non-null makes it a rollback. */
    public void deployment(String environment, String repository, String runId, Instant commitTime,
                           Instant triggeredAt, Instant deployedAt, String rolledBackRunId) {
        update("""
                INSERT INTO deployments (event_id, environment, repository, run_id, attempt, target_kind, artifact_kind,
                  registry, image_repository, digest, rollback, rolled_back_run_id, commit_time, triggered_at,
                  deployed_at) VALUES (?, ?, ?, ?, 1, 'DOCKER', 'CONTAINER', 'registry.test', 'app', 'sha256:0', ?, ?,
                  ?, ?, ?)""", UUID.randomUUID().toString(), environment, repository, runId, rolledBackRunId != null,
                rolledBackRunId, time(commitTime), time(triggeredAt), time(deployedAt));
    }

    /** A BuildFailed row; {@code environment} for a failure at DEPLOY. */
    public void failure(String repository, String runId, String stage, String reason, String environment,
                        Instant failedAt) {
        update("""
                INSERT INTO failures (event_id, run_id, attempt, repository, stage, reason, message, retryable,
                  environment, failed_at) VALUES (?, ?, 1, ?, ?, ?, 'it failed', FALSE, ?, ?)""",
                UUID.randomUUID().toString(), runId, repository, stage, reason, environment, time(failedAt));
    }

    /** A run attempt 1 triggered at {@code triggeredAt}. */
    public void run(String repository, String runId, Instant triggeredAt) {
        update("""
                INSERT INTO runs (run_id, attempt, repository, ref, branch, sha, title, message, author, commit_time,
                  triggered_at, accepted_sequence, stage, status, updated_at) VALUES (?, 1, ?, 'refs/heads/main',
                  'main', 'abc', 'a change', 'a change', 'someone', ?, ?, 1, 'TRIGGER', 'RUNNING', ?)""",
                runId, repository, time(triggeredAt), time(triggeredAt), time(triggeredAt));
    }

    /** An event of attempt 1 of {@code runId}: {@code kind} is the Avro record name. */
    public void event(String runId, String kind, Instant occurredAt) {
        update("""
                INSERT INTO run_events (event_id, run_id, attempt, kind, stage, occurred_at, summary, detail)
                VALUES (?, ?, 1, ?, 'BUILD', ?, 'an event', '{}')""",
                UUID.randomUUID().toString(), runId, kind, time(occurredAt));
    }

    private static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private void update(String sql, Object... values) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

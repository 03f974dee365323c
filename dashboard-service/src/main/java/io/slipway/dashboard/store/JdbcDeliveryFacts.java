package io.slipway.dashboard.store;

import io.slipway.dashboard.domain.metrics.DeliveryFacts;
import io.slipway.dashboard.domain.metrics.Facts;
import io.slipway.dashboard.domain.metrics.Facts.DeploymentFact;
import io.slipway.dashboard.domain.metrics.Facts.FailureFact;
import io.slipway.dashboard.domain.metrics.Facts.StageTimes;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics' facts from the read model: deployments and failures by their time (indexes deployments_by_time and
 * failures_by_time), and the first event of each kind of the run attempts triggered in the period, one row per attempt
 * (runs_newest, then run_events_by_run). Plain SQL that H2 in PostgreSQL mode and PostgreSQL both run; one read-only
 * connection.
 */
public final class JdbcDeliveryFacts implements DeliveryFacts {

    private static final String DEPLOYMENTS = """
            SELECT environment, repository, run_id, attempt, commit_time, triggered_at, deployed_at, rollback,
                   rolled_back_run_id
            FROM deployments WHERE deployed_at >= ? AND deployed_at < ?""";
    private static final String FAILURES = """
            SELECT repository, run_id, attempt, stage, reason, environment, failed_at
            FROM failures WHERE failed_at >= ? AND failed_at < ?""";
    /** The event kinds whose first occurrence a run's stage durations need, one column each. */
    private static final List<String> KINDS =
            List.of("CommitReceived", "ImageBuilt", "TestsPassed", "ArtifactPublished", "Deployed");
    private static final String STAGE_TIMES = """
            SELECT r.repository, r.run_id, r.attempt,
                   MIN(CASE WHEN e.kind = 'CommitReceived' THEN e.occurred_at END) AS first_0,
                   MIN(CASE WHEN e.kind = 'ImageBuilt' THEN e.occurred_at END) AS first_1,
                   MIN(CASE WHEN e.kind = 'TestsPassed' THEN e.occurred_at END) AS first_2,
                   MIN(CASE WHEN e.kind = 'ArtifactPublished' THEN e.occurred_at END) AS first_3,
                   MIN(CASE WHEN e.kind = 'Deployed' THEN e.occurred_at END) AS first_4
            FROM runs r JOIN run_events e ON e.run_id = r.run_id AND e.attempt = r.attempt
            WHERE r.triggered_at >= ? AND r.triggered_at < ?""";
    private static final String STAGE_TIMES_GROUPED = " GROUP BY r.repository, r.run_id, r.attempt";

    private final DataSource dataSource;

    public JdbcDeliveryFacts(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Facts between(Instant from, Instant to, String repository) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setReadOnly(true);
            return new Facts(deployments(connection, from, to, repository),
                    failures(connection, from, to, repository), stageTimes(connection, from, to, repository));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the delivery metrics' facts: " + e.getMessage(), e);
        }
    }

    private static List<DeploymentFact> deployments(Connection connection, Instant from, Instant to,
                                                    String repository) throws SQLException {
        List<DeploymentFact> facts = new ArrayList<>();
        try (PreparedStatement query = prepare(connection, DEPLOYMENTS, " AND repository = ?", "", from, to,
                repository); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                facts.add(new DeploymentFact(rows.getString("environment"), rows.getString("repository"),
                        rows.getString("run_id"), rows.getInt("attempt"), instant(rows, "commit_time"),
                        instant(rows, "triggered_at"), instant(rows, "deployed_at"), rows.getBoolean("rollback"),
                        rows.getString("rolled_back_run_id")));
            }
        }
        return facts;
    }

    private static List<FailureFact> failures(Connection connection, Instant from, Instant to, String repository)
            throws SQLException {
        List<FailureFact> facts = new ArrayList<>();
        try (PreparedStatement query = prepare(connection, FAILURES, " AND repository = ?", "", from, to,
                repository); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                facts.add(new FailureFact(rows.getString("repository"), rows.getString("run_id"),
                        rows.getInt("attempt"), rows.getString("stage"), rows.getString("reason"),
                        rows.getString("environment"), instant(rows, "failed_at")));
            }
        }
        return facts;
    }

    private static List<StageTimes> stageTimes(Connection connection, Instant from, Instant to, String repository)
            throws SQLException {
        List<StageTimes> facts = new ArrayList<>();
        try (PreparedStatement query = prepare(connection, STAGE_TIMES, " AND r.repository = ?", STAGE_TIMES_GROUPED,
                from, to, repository); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                Map<String, Instant> first = new HashMap<>();
                for (int i = 0; i < KINDS.size(); i++) {
                    OffsetDateTime at = rows.getObject("first_" + i, OffsetDateTime.class);
                    if (at != null) {
                        first.put(KINDS.get(i), at.toInstant());
                    }
                }
                facts.add(new StageTimes(rows.getString("repository"), rows.getString("run_id"),
                        rows.getInt("attempt"), first));
            }
        }
        return facts;
    }

    /** {@code sql} over [from, to), plus {@code byRepository} when a repository is asked for, then {@code tail}. */
    private static PreparedStatement prepare(Connection connection, String sql, String byRepository, String tail,
                                             Instant from, Instant to, String repository) throws SQLException {
        PreparedStatement query = connection.prepareStatement(sql + (repository == null ? "" : byRepository) + tail);
        query.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
        query.setObject(2, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
        if (repository != null) {
            query.setString(3, repository);
        }
        return query;
    }

    private static Instant instant(ResultSet rows, String column) throws SQLException {
        return rows.getObject(column, OffsetDateTime.class).toInstant();
    }
}

package io.slipway.dashboard.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.dashboard.domain.Deployment;
import io.slipway.dashboard.domain.EnvironmentView;
import io.slipway.dashboard.domain.LogSlice;
import io.slipway.dashboard.domain.RunDetail;
import io.slipway.dashboard.domain.RunFilter;
import io.slipway.dashboard.domain.RunHistory;
import io.slipway.dashboard.domain.RunPage;
import io.slipway.dashboard.domain.RunStatus;
import io.slipway.dashboard.domain.RunSummary;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link RunHistory} read from the dashboard's database (H2 or PostgreSQL). The runs list is a keyset page on
 * (triggered_at, run_id, attempt) with an opaque cursor, so a page costs the same at the millionth run as at the first.
 * A database fault surfaces as {@link IllegalStateException} naming the query.
 */
public final class JdbcRunHistory implements RunHistory {

    /** The most runs one page may ask for. */
    public static final int MAX_PAGE = 500;
    /** The most log chunks one slice returns; the page asks again from {@link LogSlice#next()}. */
    public static final int MAX_SLICE_CHUNKS = 64;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUMMARY_COLUMNS = "run_id, attempt, repository, branch, ref, sha, title, author, "
            + "request_number, request_kind, triggered_at, stage, status, reason, updated_at, finished_at";

    private final DataSource dataSource;

    public JdbcRunHistory(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public RunPage runs(RunFilter filter, String cursor, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("a page has 1 to " + MAX_PAGE + " runs, not " + limit);
        }
        RunCursor after = cursor == null || cursor.isEmpty() ? null : RunCursor.decode(cursor);
        StringBuilder sql = new StringBuilder("SELECT " + SUMMARY_COLUMNS + " FROM runs WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        condition(sql, parameters, "repository", filter.repository());
        condition(sql, parameters, "branch", filter.branch());
        condition(sql, parameters, "status", filter.status() == null ? null : filter.status().name());
        condition(sql, parameters, "stage", filter.stage());
        if (after != null) {
            // The first bound is implied by the second; it is there so the database can seek the index to it.
            sql.append(" AND triggered_at <= ? AND (triggered_at < ? OR (triggered_at = ? AND (run_id > ? "
                    + "OR (run_id = ? AND attempt > ?))))");
            parameters.addAll(List.of(after.triggeredAt(), after.triggeredAt(), after.triggeredAt(), after.runId(),
                    after.runId(), after.attempt()));
        }
        // Leading with the (equal) filter column lets H2 read the page in the order of that column's index.
        String leading = filter.repository() != null ? "repository, " : filter.branch() != null ? "branch, "
                : filter.status() != null ? "status, " : filter.stage() != null ? "stage, " : "";
        sql.append(" ORDER BY ").append(leading).append("triggered_at DESC, run_id, attempt LIMIT ?");
        parameters.add(limit + 1);
        return query("runs", sql.toString(), parameters, rows -> {
            List<RunSummary> runs = new ArrayList<>();
            while (rows.next()) {
                runs.add(summary(rows));
            }
            String next = null;
            if (runs.size() > limit) {
                runs = runs.subList(0, limit);
                RunSummary last = runs.get(limit - 1);
                next = new RunCursor(last.triggeredAt(), last.runId(), last.attempt()).encode();
            }
            return new RunPage(List.copyOf(runs), next);
        });
    }

    private static void condition(StringBuilder sql, List<Object> parameters, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            parameters.add(value);
        }
    }

    @Override
    public Optional<RunDetail> run(String runId, int attempt) {
        int chosen = attempt > 0 ? attempt : attempts(runId).stream().reduce((a, b) -> b).orElse(0);
        if (chosen == 0) {
            return Optional.empty();
        }
        return inConnection("run", connection -> {
            RunSummary summary;
            String message;
            Instant commitTime;
            String repositoryUrl;
            String requestUrl;
            RunDetail.LogState log;
            try (PreparedStatement select = prepare(connection, "SELECT " + SUMMARY_COLUMNS + ", message, commit_time, "
                    + "repository_url, request_url, log_bytes, log_truncated FROM runs WHERE run_id = ? AND attempt = ?",
                    List.of(runId, chosen)); ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.<RunDetail>empty();
                }
                summary = summary(rows);
                message = rows.getString("message");
                commitTime = Sql.instant(rows, "commit_time");
                repositoryUrl = rows.getString("repository_url");
                requestUrl = rows.getString("request_url");
                log = new RunDetail.LogState(rows.getLong("log_bytes"), rows.getBoolean("log_truncated"));
            }
            List<Object> key = List.of(runId, chosen);
            List<RunDetail.TimelineEntry> timeline = list(connection, "SELECT event_id, kind, stage, occurred_at, "
                    + "environment, summary, detail FROM run_events WHERE run_id = ? AND attempt = ? "
                    + "ORDER BY occurred_at, event_id", key, rows -> new RunDetail.TimelineEntry(
                    rows.getString("event_id"), rows.getString("kind"), rows.getString("stage"),
                    Sql.instant(rows, "occurred_at"), rows.getString("environment"), rows.getString("summary"),
                    rows.getString("detail")));
            List<RunDetail.Artifact> artifacts = list(connection, "SELECT phase, kind, registry, repository, digest, "
                    + "tags, labels FROM run_artifacts WHERE run_id = ? AND attempt = ? ORDER BY phase DESC", key,
                    rows -> new RunDetail.Artifact(rows.getString("phase"), rows.getString("kind"),
                            rows.getString("registry"), rows.getString("repository"), rows.getString("digest"),
                            readJson(rows.getString("tags"), new TypeReference<List<String>>() { }),
                            readJson(rows.getString("labels"), new TypeReference<Map<String, String>>() { })));
            RunDetail.TestReport report = report(connection, key);
            List<Deployment> deployments = list(connection, "SELECT * FROM deployments WHERE run_id = ? AND attempt = ? "
                    + "ORDER BY deployed_at DESC, event_id", key, JdbcRunHistory::deployment);
            List<RunDetail.Failure> failures = list(connection, "SELECT stage, reason, message, log_excerpt, retryable, "
                    + "environment, failed_at FROM failures WHERE run_id = ? AND attempt = ? ORDER BY failed_at, event_id",
                    key, rows -> new RunDetail.Failure(rows.getString("stage"), rows.getString("reason"),
                            rows.getString("message"), rows.getString("log_excerpt"), rows.getBoolean("retryable"),
                            rows.getString("environment"), Sql.instant(rows, "failed_at")));
            String commitUrl = repositoryUrl == null ? null : repositoryUrl.replaceAll("/+$", "") + "/commit/"
                    + summary.sha();
            return Optional.of(new RunDetail(summary, message, commitTime, commitUrl, requestUrl, timeline, artifacts,
                    report, deployments, failures, log));
        });
    }

    private static RunDetail.TestReport report(Connection connection, List<Object> key) throws SQLException {
        boolean passed;
        boolean truncated;
        try (PreparedStatement select = prepare(connection, "SELECT passed, truncated FROM test_reports "
                + "WHERE run_id = ? AND attempt = ?", key); ResultSet rows = select.executeQuery()) {
            if (!rows.next()) {
                return null;
            }
            passed = rows.getBoolean("passed");
            truncated = rows.getBoolean("truncated");
        }
        List<RunDetail.TestCase> cases = list(connection, "SELECT suite, name, outcome, message, duration_millis "
                + "FROM test_cases WHERE run_id = ? AND attempt = ? ORDER BY CASE outcome WHEN 'FAILED' THEN 0 "
                + "WHEN 'ERROR' THEN 1 WHEN 'SKIPPED' THEN 2 ELSE 3 END, position", key,
                rows -> new RunDetail.TestCase(rows.getString("suite"), rows.getString("name"),
                        rows.getString("outcome"), rows.getString("message"), rows.getLong("duration_millis")));
        return new RunDetail.TestReport(passed, truncated, cases);
    }

    @Override
    public List<Integer> attempts(String runId) {
        return inConnection("attempts", connection -> list(connection,
                "SELECT attempt FROM runs WHERE run_id = ? ORDER BY attempt", List.of(runId), rows -> rows.getInt(1)));
    }

    @Override
    public LogSlice log(String runId, int attempt, int from) {
        if (from < 0) {
            throw new IllegalArgumentException("a log slice starts at chunk 0 or later, not " + from);
        }
        return inConnection("log", connection -> {
            List<Object> key = List.of(runId, attempt);
            StringBuilder text = new StringBuilder();
            int count = 0;
            try (PreparedStatement select = prepare(connection, "SELECT text FROM log_chunks WHERE run_id = ? "
                    + "AND attempt = ? ORDER BY stage, sequence LIMIT ? OFFSET ?",
                    List.of(runId, attempt, MAX_SLICE_CHUNKS, from)); ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String chunk = rows.getString(1);
                    text.append(chunk);
                    if (!chunk.isEmpty() && !chunk.endsWith("\n")) {
                        text.append('\n');
                    }
                    count++;
                }
            }
            // A run that failed or was cancelled may never send its last chunk (a builder that died mid-build).
            boolean complete = exists(connection, "SELECT 1 FROM log_chunks WHERE run_id = ? AND attempt = ? "
                    + "AND last_chunk = TRUE", key) || exists(connection, "SELECT 1 FROM runs WHERE run_id = ? "
                    + "AND attempt = ? AND status IN ('FAILED', 'CANCELLED')", key);
            boolean truncated = exists(connection, "SELECT 1 FROM log_totals WHERE run_id = ? AND attempt = ? "
                    + "AND truncated = TRUE", key);
            return new LogSlice(text.toString(), from + count, complete, truncated);
        });
    }

    @Override
    public Optional<String> junitXml(String runId, int attempt) {
        return inConnection("junitXml", connection -> list(connection, "SELECT junit_xml FROM test_reports "
                + "WHERE run_id = ? AND attempt = ?", List.of(runId, attempt), rows -> rows.getString(1))
                .stream().findFirst());
    }

    @Override
    public List<EnvironmentView> environments() {
        return inConnection("environments", connection -> list(connection, "SELECT * FROM environment_states "
                + "ORDER BY environment, repository", List.of(), rows -> {
            String currentRun = rows.getString("current_run_id");
            EnvironmentView.Current current = currentRun == null ? null : new EnvironmentView.Current(currentRun,
                    rows.getInt("current_attempt"), rows.getString("current_digest"), rows.getString("current_url"),
                    Sql.instant(rows, "current_since"));
            String pendingRun = rows.getString("pending_run_id");
            EnvironmentView.Pending pending = pendingRun == null ? null : new EnvironmentView.Pending(pendingRun,
                    rows.getInt("pending_attempt"), rows.getString("pending_digest"), rows.getString("pending_from"),
                    Sql.instant(rows, "pending_not_before"), rows.getBoolean("pending_approval_required"),
                    rows.getString("pending_approved_by"), Sql.instant(rows, "pending_since"));
            return new EnvironmentView(rows.getString("environment"), rows.getString("repository"), current, pending,
                    Sql.instant(rows, "updated_at"));
        }));
    }

    @Override
    public List<Deployment> deployments(String environment, String repository, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("ask for 1 to " + MAX_PAGE + " deployments, not " + limit);
        }
        StringBuilder sql = new StringBuilder("SELECT * FROM deployments WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        condition(sql, parameters, "environment", environment);
        condition(sql, parameters, "repository", repository);
        sql.append(" ORDER BY deployed_at DESC, event_id LIMIT ?");
        parameters.add(limit);
        return inConnection("deployments", connection -> list(connection, sql.toString(), parameters,
                JdbcRunHistory::deployment));
    }

    @Override
    public List<String> repositories() {
        return inConnection("repositories", connection -> list(connection,
                "SELECT DISTINCT repository FROM runs ORDER BY repository", List.of(), rows -> rows.getString(1)));
    }

    private static RunSummary summary(ResultSet rows) throws SQLException {
        return new RunSummary(rows.getString("run_id"), rows.getInt("attempt"), rows.getString("repository"),
                rows.getString("branch"), rows.getString("ref"), rows.getString("sha"), rows.getString("title"),
                rows.getString("author"), Sql.integer(rows, "request_number"), rows.getString("request_kind"),
                Sql.instant(rows, "triggered_at"), rows.getString("stage"), RunStatus.valueOf(rows.getString("status")),
                rows.getString("reason"), Sql.instant(rows, "updated_at"), Sql.instant(rows, "finished_at"));
    }

    private static Deployment deployment(ResultSet rows) throws SQLException {
        return new Deployment(rows.getString("event_id"), rows.getString("environment"), rows.getString("repository"),
                rows.getString("run_id"), rows.getInt("attempt"), rows.getString("digest"),
                rows.getString("previous_digest"), rows.getString("url"), rows.getBoolean("rollback"),
                rows.getString("rolled_back_run_id"), rows.getString("reason"), Sql.instant(rows, "deployed_at"));
    }

    private static <T> T readJson(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("stored JSON does not read back: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Rows<T> {
        T read(ResultSet rows) throws SQLException;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T inConnection(String what, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setReadOnly(true);
            return work.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("the dashboard database could not answer " + what + ": "
                    + e.getMessage(), e);
        }
    }

    private <T> T query(String what, String sql, List<Object> parameters, Rows<T> reader) {
        return inConnection(what, connection -> {
            try (PreparedStatement select = prepare(connection, sql, parameters);
                 ResultSet rows = select.executeQuery()) {
                return reader.read(rows);
            }
        });
    }

    private static <T> List<T> list(Connection connection, String sql, List<Object> parameters, Rows<T> row)
            throws SQLException {
        try (PreparedStatement select = prepare(connection, sql, parameters); ResultSet rows = select.executeQuery()) {
            List<T> list = new ArrayList<>();
            while (rows.next()) {
                list.add(row.read(rows));
            }
            return list;
        }
    }

    private static boolean exists(Connection connection, String sql, List<Object> parameters) throws SQLException {
        try (PreparedStatement select = prepare(connection, sql, parameters); ResultSet rows = select.executeQuery()) {
            return rows.next();
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, List<Object> parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.size(); i++) {
                Object value = parameters.get(i);
                if (value instanceof Instant instant) {
                    Sql.instant(statement, i + 1, instant);
                } else {
                    statement.setObject(i + 1, value);
                }
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }
}

package io.slipway.dashboard.store;

import io.slipway.events.Stage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The run status rules: where an event moves a run attempt (status, last stage, reason), given where it stands.
 * Events arrive out of order across topics, so a rule only moves a run forward: a finished run is not set running again,
 * a stage reached is not left for an earlier one; only a failure at DEPLOY turns a SUCCEEDED run FAILED.
 */
final class RunProgress {

    /** What happened to the run, as far as its status is concerned. */
    enum Event { IMAGE_BUILT, TESTS_PASSED, REQUEST_TESTS_PASSED, PUBLISHED, DEPLOYED, FAILED, CANCELLED, DEPLOY_FAILED }

    /** A run attempt's status columns. */
    record State(String status, String stage, String reason, Instant updatedAt, Instant finishedAt) {
    }

    /** The reasons that end a run without it failing. */
    private static final List<String> CANCELLING = List.of("SUPERSEDED", "REQUEST_CLOSED", "CANCELLED");
    private static final List<String> ORDER = List.of("TRIGGER", "BUILD", "TEST", "DELIVER", "DEPLOY");

    private RunProgress() {
    }

    static Event failure(Stage stage, String reason) {
        if (stage == Stage.DEPLOY) {
            return Event.DEPLOY_FAILED;
        }
        return CANCELLING.contains(reason) ? Event.CANCELLED : Event.FAILED;
    }

    /** Where {@code event} at {@code at} moves a run that stands at {@code current}. */
    static State next(State current, Event event, Stage failedStage, String reason, Instant at) {
        boolean running = "RUNNING".equals(current.status());
        Instant updated = current.updatedAt() == null || at.isAfter(current.updatedAt()) ? at : current.updatedAt();
        Instant finished = current.finishedAt() == null ? at : current.finishedAt();
        return switch (event) {
            case IMAGE_BUILT -> running ? stage(current, "TEST", updated) : current;
            case TESTS_PASSED -> running ? stage(current, "DELIVER", updated) : current;
            case REQUEST_TESTS_PASSED -> running
                    ? new State("SUCCEEDED", furthest(current.stage(), "TEST"), null, updated, finished) : current;
            case PUBLISHED -> running
                    ? new State("SUCCEEDED", furthest(current.stage(), "DELIVER"), null, updated, finished) : current;
            case DEPLOYED -> running || "SUCCEEDED".equals(current.status())
                    ? new State("SUCCEEDED", "DEPLOY", null, updated, finished) : current;
            case FAILED, CANCELLED -> running
                    ? new State(event == Event.FAILED ? "FAILED" : "CANCELLED", failedStage.name(), reason, updated,
                    finished) : current;
            case DEPLOY_FAILED -> "CANCELLED".equals(current.status()) ? current
                    : new State("FAILED", "DEPLOY", reason, updated, finished);
        };
    }

    private static State stage(State current, String stage, Instant updated) {
        return new State(current.status(), furthest(current.stage(), stage), current.reason(), updated,
                current.finishedAt());
    }

    private static String furthest(String a, String b) {
        return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
    }

    /** The run attempt's state, or null when it has no row yet. */
    static State current(Connection connection, String runId, int attempt) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT status, stage, reason, updated_at, "
                + "finished_at FROM runs WHERE run_id = ? AND attempt = ?")) {
            select.setString(1, runId);
            select.setInt(2, attempt);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? new State(rows.getString("status"), rows.getString("stage"),
                        rows.getString("reason"), Sql.instant(rows, "updated_at"), Sql.instant(rows, "finished_at"))
                        : null;
            }
        }
    }

    static void store(Connection connection, String runId, int attempt, State state) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE runs SET status = ?, stage = ?, "
                + "reason = ?, updated_at = ?, finished_at = ? WHERE run_id = ? AND attempt = ?")) {
            update.setString(1, state.status());
            update.setString(2, state.stage());
            update.setString(3, state.reason());
            Sql.instant(update, 4, state.updatedAt());
            Sql.instant(update, 5, state.finishedAt());
            update.setString(6, runId);
            update.setInt(7, attempt);
            update.executeUpdate();
        }
    }
}

package io.slipway.dashboard.domain;

/** Where a run attempt stands, as the runs page filters and colours it. */
public enum RunStatus {
    /** Accepted and not yet at an outcome. */
    RUNNING,
    /** Published (a push) or tested (a pull or merge request's run, which is never published). */
    SUCCEEDED,
    /** A stage ended it with {@code BuildFailed}. */
    FAILED,
    /** Superseded by a newer push, or its request was closed ({@code BuildFailed} SUPERSEDED / REQUEST_CLOSED). */
    CANCELLED
}

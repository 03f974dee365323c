package io.slipway.dashboard.domain;

/**
 * Something the read model just committed, for the pages that follow it live: a run attempt changed (new run, stage,
 * outcome), its log grew, or an environment changed ({@code runId} then names the run deployed, {@code environment} is
 * set).
 */
public record RunChange(Kind kind, String runId, int attempt, String repository, String environment) {

    /** What changed. */
    public enum Kind { RUN, LOG, ENVIRONMENT }
}

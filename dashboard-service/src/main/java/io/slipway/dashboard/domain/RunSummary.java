package io.slipway.dashboard.domain;

import java.time.Instant;

/**
 * One run attempt as the runs page lists it. {@code stage} is the last stage it reached (an {@code io.slipway.events.Stage}
 * name); {@code requestNumber}/{@code requestKind} are null for a push; {@code reason} is set for FAILED and CANCELLED;
 * {@code finishedAt} is null while RUNNING.
 */
public record RunSummary(String runId, int attempt, String repository, String branch, String ref, String sha,
                         String title, String author, Integer requestNumber, String requestKind, Instant triggeredAt,
                         String stage, RunStatus status, String reason, Instant updatedAt, Instant finishedAt) {
}

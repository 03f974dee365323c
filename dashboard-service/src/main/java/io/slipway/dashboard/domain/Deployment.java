package io.slipway.dashboard.domain;

import java.time.Instant;

/** One {@code Deployed} event: what started running in an environment, from which run, and what ran before. */
public record Deployment(String eventId, String environment, String repository, String runId, int attempt,
                         String digest, String previousDigest, String url, boolean rollback, String rolledBackRunId,
                         String reason, Instant deployedAt) {
}

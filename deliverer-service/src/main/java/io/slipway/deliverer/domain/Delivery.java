package io.slipway.deliverer.domain;

import java.time.Instant;

/**
 * One tested artifact to deliver: the run that made it (id and attempt, repository, commit and ref, when the commit
 * was made and when the run was triggered) and where the tester found it, by digest.
 */
public record Delivery(String runId, int attempt, String repository, String sha, String ref, Instant committedAt,
                       Instant triggeredAt, ImageRef staged, String digest, boolean container) {
}

package io.slipway.deliverer.domain;

import java.time.Instant;

/**
 * One tested artifact to deliver: the run that made it (id and attempt, repository, commit and ref, when the commit
 * was made, when the run was triggered and the sequence the trigger accepted it with) and where the tester found
 * it, by digest.
 */
public record Delivery(String runId, int attempt, String repository, String sha, String ref, Instant committedAt,
                       Instant triggeredAt, long sequence, ImageRef staged, String digest, boolean container) {
}

package io.slipway.tools;

import java.time.Duration;
import java.time.Instant;

/**
 * One run attempt as the pipeline topics tell it: where it got to and how it ended. {@code outcome} is
 * RUNNING until a terminal event (ArtifactPublished, or BuildFailed) arrives.
 */
public record RunSummary(String runId, int attempt, String repository, String ref, String sha, String stage,
                         String outcome, String detail, Instant triggeredAt, Instant lastEventAt) {

    public Duration duration() {
        return Duration.between(triggeredAt, lastEventAt);
    }

    public String shortSha() {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    public boolean finished() {
        return !outcome.equals("RUNNING");
    }
}

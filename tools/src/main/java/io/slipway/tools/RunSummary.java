package io.slipway.tools;

import io.slipway.common.requests.ChangeRequests;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * One run attempt as the pipeline topics tell it: what it is of (a branch or tag, or a pull or merge request shown
 * {@code #12 → main} / {@code !12 → main}), where it got to and how it ended. {@code outcome} is RUNNING until a
 * terminal event arrives: ArtifactPublished (PUBLISHED), for a request's run, which ends at TEST, TestsPassed
 * (PASSED), or BuildFailed (FAILED, or SUPERSEDED, CANCELLED, IGNORED, which are no failures).
 */
public record RunSummary(String runId, int attempt, String repository, String ref, String request, String sha,
                         String stage, String outcome, String detail, Instant triggeredAt, Instant lastEventAt) {

    /** The outcomes of a run that reached its end as it should: published, or a request's run that passed its tests. */
    private static final Set<String> SUCCESSES = Set.of("PUBLISHED", "PASSED");

    public Duration duration() {
        return Duration.between(triggeredAt, lastEventAt);
    }

    public String shortSha() {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    /** What the run is of, as listed: the request with its target branch, else the branch or tag name (or the ref). */
    public String subject() {
        return request != null ? request : ref.replaceFirst("^refs/(heads|tags)/", "");
    }

    /** Whether the run tests a pull or merge request (it names one, or has a request's ref): it ends at TEST. */
    public boolean ofRequest() {
        return request != null || ChangeRequests.isRequestRef(ref);
    }

    public boolean finished() {
        return !outcome.equals("RUNNING");
    }

    /** Whether the run ended as it should: PUBLISHED, or PASSED for a request's run. */
    public boolean succeeded() {
        return SUCCESSES.contains(outcome);
    }
}

package io.slipway.tools;

import io.slipway.common.requests.ChangeRequests;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One run attempt as the pipeline topics tell it: what it is of (a branch or tag, or a pull or merge request shown
 * {@code #12 → main} / {@code !12 → main}), where it got to and how it ended. {@code outcome} is RUNNING until a
 * terminal event arrives: ArtifactPublished (PUBLISHED), for a request's run, which ends at TEST, TestsPassed
 * (PASSED), or BuildFailed (FAILED, or SUPERSEDED, CANCELLED, IGNORED, which are no failures). After publication a
 * run moves on to DEPLOY: DEPLOYED with the {@code environments} it reached, or FAILED there (a BuildFailed at DEPLOY
 * names its environment).
 */
public record RunSummary(String runId, int attempt, String repository, String ref, String request, String sha,
                         String stage, String outcome, String detail, Instant triggeredAt, Instant lastEventAt,
                         List<String> environments) {

    /** The outcomes of a run that reached its end as it should: published, deployed, or a request's run that passed. */
    private static final Set<String> SUCCESSES = Set.of("PUBLISHED", "DEPLOYED", "PASSED");

    public RunSummary {
        environments = List.copyOf(environments);
    }

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

    /** Whether the run ended as it should: PUBLISHED or DEPLOYED, or PASSED for a request's run. */
    public boolean succeeded() {
        return SUCCESSES.contains(outcome);
    }

    /** Whether its artifact was published: it ended PUBLISHED, or got to DEPLOY, which only a published run reaches. */
    public boolean published() {
        return outcome.equals("PUBLISHED") || stage.equals("DEPLOY");
    }

    /** The outcome as listed: DEPLOYED with the environments the run reached ({@code DEPLOYED staging, production}). */
    public String outcomeWithEnvironments() {
        return environments.isEmpty() ? outcome : outcome + " " + String.join(", ", environments);
    }
}

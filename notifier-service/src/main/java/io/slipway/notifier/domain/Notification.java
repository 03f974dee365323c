package io.slipway.notifier.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * One outcome of a run that people may have to hear about, independent of Kafka and Avro. {@code eventId} is the id
 * of the event it came from, the unit of deduplication: each channel tells people about an event id once.
 * {@code repositoryUrl}, {@code reasonCode}, {@code message}, {@code logExcerpt} and {@code artifact} may be null;
 * {@code request} is the pull or merge request the run tests, null for a run of a branch or tag push;
 * {@code deployment} is the environment a deployment (DEPLOYED, ROLLED_BACK, or FAILED at stage DEPLOY) is about, null
 * for every other notification.
 */
public record Notification(String eventId, EventKind kind, String runId, int attempt, String repository,
                           String repositoryUrl, String ref, String sha, String commitTitle, String author,
                           String stage, String reasonCode, String message, String logExcerpt, Artifact artifact,
                           Instant triggeredAt, Instant occurredAt, ChangeRequest request, Deployment deployment) {

    /** A notification that concerns no environment. */
    public Notification(String eventId, EventKind kind, String runId, int attempt, String repository,
                        String repositoryUrl, String ref, String sha, String commitTitle, String author,
                        String stage, String reasonCode, String message, String logExcerpt, Artifact artifact,
                        Instant triggeredAt, Instant occurredAt, ChangeRequest request) {
        this(eventId, kind, runId, attempt, repository, repositoryUrl, ref, sha, commitTitle, author, stage, reasonCode,
                message, logExcerpt, artifact, triggeredAt, occurredAt, request, null);
    }

    /** A notification of a run of a push (no request). */
    public Notification(String eventId, EventKind kind, String runId, int attempt, String repository,
                        String repositoryUrl, String ref, String sha, String commitTitle, String author,
                        String stage, String reasonCode, String message, String logExcerpt, Artifact artifact,
                        Instant triggeredAt, Instant occurredAt) {
        this(eventId, kind, runId, attempt, repository, repositoryUrl, ref, sha, commitTitle, author, stage, reasonCode,
                message, logExcerpt, artifact, triggeredAt, occurredAt, null);
    }

    /** Whether it is about an environment: a deployment, a rollback or a failed deployment. */
    public boolean isDeployment() {
        return deployment != null;
    }

    public boolean isRequest() {
        return request != null;
    }

    /**
     * What a channel's memory is kept for: the branch (or tag) of a push, or the request (one memory per request,
     * whether its head or its merge result was built).
     */
    public String subject() {
        return request == null ? branch() : request.memoryKey();
    }

    /** The commit a status goes to: the request's head, else the run's commit. */
    public String statusSha() {
        return request == null ? sha : request.headSha();
    }

    /** Who to name as author: the request's author when it names one, else the commit's. */
    public String requestOrCommitAuthor() {
        return request != null && request.author() != null ? request.author() : author;
    }

    /** The ref as people say it: {@code main} for {@code refs/heads/main}, {@code tags/v1} for {@code refs/tags/v1}. */
    public String branch() {
        if (ref.startsWith("refs/heads/")) {
            return ref.substring("refs/heads/".length());
        }
        return ref.startsWith("refs/") ? ref.substring("refs/".length()) : ref;
    }

    /** Whether the ref is a branch (commit statuses carry it to GitLab only then). */
    public boolean onBranch() {
        return ref.startsWith("refs/heads/");
    }

    public String shortSha() {
        return sha.length() > 7 ? sha.substring(0, 7) : sha;
    }

    /** The commit's page on the forge, when the event carries the repository's web URL. */
    public Optional<String> commitUrl() {
        return repositoryUrl == null || repositoryUrl.isBlank() ? Optional.empty()
                : Optional.of(repositoryUrl.replaceAll("/+$", "") + "/commit/" + sha);
    }
}

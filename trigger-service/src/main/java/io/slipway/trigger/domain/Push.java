package io.slipway.trigger.domain;

import java.time.Instant;

/**
 * One pushed ref as a forge reported it, reduced to what a run needs. {@code deliveryId} is the forge's id of
 * the delivery (null where the forge sends none); {@code deleted} is true for a branch or tag deletion;
 * {@code before} is the sha the ref pointed to before the push (null when unknown or new). A run of a pull or merge
 * request is a push of the request's head (or merge) ref that carries its {@code request}; null for a branch or tag.
 */
public record Push(String source, String deliveryId, String repository, String cloneUrl, String webUrl,
                   String ref, String sha, String message, String authorName, String authorEmail,
                   Instant timestamp, boolean deleted, String before, Request request) {

    public static final String ZERO_SHA = "0000000000000000000000000000000000000000";

    /** A push of a branch or tag whose previous sha is unknown. */
    public Push(String source, String deliveryId, String repository, String cloneUrl, String webUrl,
                String ref, String sha, String message, String authorName, String authorEmail,
                Instant timestamp, boolean deleted) {
        this(source, deliveryId, repository, cloneUrl, webUrl, ref, sha, message, authorName, authorEmail, timestamp,
                deleted, null, null);
    }

    /**
     * The pull or merge request a run tests, as it goes into {@code RunContext.request}: see the {@code ChangeRequest}
     * schema for each field.
     */
    public record Request(int number, RequestEvent.Kind kind, String sourceBranch, String targetBranch,
                          String sourceRepository, boolean fromFork, String headSha, String author,
                          boolean mergeResult, String webUrl) {

        /** {@code #12} or {@code !12}. */
        public String displayName() {
            return kind.sigil() + number;
        }
    }

    /** This push as {@code source} hands it on (an approval, a person's re-run) under {@code deliveryId}. */
    public Push from(String source, String deliveryId) {
        return new Push(source, deliveryId, repository, cloneUrl, webUrl, ref, sha, message, authorName, authorEmail,
                timestamp, deleted, before, request);
    }

    public boolean isRequest() {
        return request != null;
    }

    public boolean isTag() {
        return ref.startsWith("refs/tags/");
    }

    /** The branch or tag name without its {@code refs/heads/} or {@code refs/tags/} prefix. */
    public String shortRef() {
        if (ref.startsWith("refs/heads/")) {
            return ref.substring("refs/heads/".length());
        }
        return isTag() ? ref.substring("refs/tags/".length()) : ref;
    }
}

package io.slipway.trigger.domain;

/**
 * A person's request to run (or re-run) a repository's ref. {@code sha} may be null (the latest commit the
 * trigger saw on that ref); {@code cloneUrl} is needed only for a repository Slipway has never built.
 */
public record ManualRun(String repository, String ref, String sha, String cloneUrl, String requestedBy) {
}

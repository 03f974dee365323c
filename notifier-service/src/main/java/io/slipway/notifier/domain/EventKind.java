package io.slipway.notifier.domain;

/**
 * What happened to a run, as routing rules name it: STARTED ({@code CommitReceived}), FAILED ({@code BuildFailed}),
 * CANCELLED ({@code BuildFailed} with reason {@code SUPERSEDED}: a newer commit of the branch replaced the run, which
 * is not a failure anyone must act on) and PUBLISHED ({@code ArtifactPublished}).
 */
public enum EventKind {
    STARTED, FAILED, CANCELLED, PUBLISHED
}

package io.slipway.notifier.domain;

/**
 * What happened to a run, as routing rules name it: STARTED ({@code CommitReceived}), FAILED ({@code BuildFailed}),
 * CANCELLED ({@code BuildFailed} with reason {@code SUPERSEDED}, a newer commit replaced the run, or {@code CANCELLED},
 * its request was closed), IGNORED ({@code BuildFailed} with reason {@code IGNORED}: no changed path matches the
 * repository's path filters), PUBLISHED ({@code ArtifactPublished}) and PASSED ({@code TestsPassed} of a run of a pull
 * or merge request, which ends there since a request is never delivered). CANCELLED and IGNORED are no failure anyone
 * must act on. DEPLOYED ({@code Deployed}) and ROLLED_BACK ({@code Deployed} with {@code rollback}: an earlier
 * artifact was restored) say what now runs in an environment; a failed deployment is FAILED at stage DEPLOY.
 */
public enum EventKind {
    STARTED, FAILED, CANCELLED, IGNORED, PUBLISHED, PASSED, DEPLOYED, ROLLED_BACK
}

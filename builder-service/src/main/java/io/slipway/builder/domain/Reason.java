package io.slipway.builder.domain;

/**
 * Why a build ended without an image; written to {@code BuildFailed.reasonCode}. {@link #SUPERSEDED},
 * {@link #CANCELLED} and {@link #IGNORED} are not failures of the commit: a newer commit was built instead, the
 * request was closed, or the repository's path filters left nothing to build.
 */
public enum Reason {
    /** The commit has no {@code .slipway.yml}. */
    CONFIG_MISSING,
    /** {@code .slipway.yml} is not valid: syntax, unknown key, wrong type, or a path it names does not exist. */
    CONFIG_INVALID,
    /** The commit could not be fetched: clone URL refused, repository or commit not found, git server unreachable. */
    SOURCE_UNAVAILABLE,
    /** The Docker build failed (a Dockerfile instruction failed or the Dockerfile is invalid). */
    BUILD_ERROR,
    /** The build did not finish within its timeout and was stopped. */
    TIMEOUT,
    /** The staging registry refused the image or the credentials. */
    PUSH_FAILED,
    /** The Docker engine or the registry stayed unreachable through the retry budget. */
    INFRASTRUCTURE,
    /** A newer commit of the same branch, or a newer head of the same request, was waiting; only the newest is built. */
    SUPERSEDED,
    /** The pull or merge request the run tests was closed before its build finished. */
    CANCELLED,
    /** No changed path matches the repository's path filters ({@code .slipway.yml} {@code paths}); nothing was built. */
    IGNORED,
    /** VM backend: Nova or Glance refused the request because a quota is used up. */
    QUOTA_EXCEEDED,
    /** VM backend: the build server went to ERROR (Nova's fault in the message) or the cloud refused an action. */
    SERVER_ERROR,
    /** VM backend: the repository's provisioning script exited non-zero (console tail in the excerpt). */
    PROVISION_FAILED,
    /** VM backend: the image service could not store the snapshot. */
    SNAPSHOT_FAILED
}

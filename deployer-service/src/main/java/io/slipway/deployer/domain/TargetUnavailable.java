package io.slipway.deployer.domain;

/**
 * The target could not be reached (Docker engine down, git server or OpenStack unreachable) before anything changed
 * in the environment: retried with backoff within the retry budget, then dead-lettered like any transient failure.
 */
public final class TargetUnavailable extends Exception {

    public TargetUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}

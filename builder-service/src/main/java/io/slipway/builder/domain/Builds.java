package io.slipway.builder.domain;

import io.slipway.common.requests.StalenessWatch;

import java.time.Duration;

/** The builder's use case as the Kafka listener sees it: one request to one outcome, and a graceful stop. */
public interface Builds {

    /** Builds a request that never goes stale (see {@link #build(BuildRequest, StalenessWatch)}). */
    default BuildOutcome build(BuildRequest request) {
        return build(request, StalenessWatch.NEVER);
    }

    /**
     * Builds the request to its outcome unless its pull or merge request moves on: stale before the build starts, it
     * is not built; stale while it runs, the build is stopped. Either way it ends as {@link Reason#SUPERSEDED} or
     * {@link Reason#CANCELLED}, not retryable.
     *
     * @throws BuildInterrupted          when the service shuts down before the build has an outcome; hand the
     *                                   request back
     * @throws InfrastructureUnavailable when the Docker engine, a registry or the git server cannot be reached; a
     *                                   transient fault, retried by the record pipeline
     */
    BuildOutcome build(BuildRequest request, StalenessWatch watch);

    /**
     * True when every build ends at once without work (the dry-run backend): the stage then gives a poll's commits one
     * transaction, as the light stages do, instead of one transaction each.
     */
    default boolean light() {
        return false;
    }

    /** Stops taking builds; running ones get up to {@code grace} before they are cancelled and handed back. */
    void shutdown(Duration grace);
}

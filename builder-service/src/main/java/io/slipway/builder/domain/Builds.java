package io.slipway.builder.domain;

import java.time.Duration;

/** The builder's use case as the Kafka listener sees it: one request to one outcome, and a graceful stop. */
public interface Builds {

    /**
     * Builds the request to its outcome.
     *
     * @throws BuildInterrupted          when the service shuts down before the build has an outcome; hand the
     *                                   request back
     * @throws InfrastructureUnavailable when the Docker engine, a registry or the git server cannot be reached; a
     *                                   transient fault, retried by the record pipeline
     */
    BuildOutcome build(BuildRequest request);

    /** Stops taking builds; running ones get up to {@code grace} before they are cancelled and handed back. */
    void shutdown(Duration grace);
}

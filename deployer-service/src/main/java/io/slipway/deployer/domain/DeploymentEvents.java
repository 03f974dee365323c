package io.slipway.deployer.domain;

import java.time.Instant;

/** Where the deployer's outcomes go: one {@link Change} per change of what runs, one {@link Failure} per failed run. */
public interface DeploymentEvents {

    /**
     * What runs in {@code environment} changed to {@code now} (from {@code previous}, null for the first deployment);
     * for a rollback, {@code rolledBackRunId} is the run taken out and {@code reason} says why.
     */
    record Change(String environment, DeploymentTarget.Kind targetKind, Placement now, Placement previous,
                  boolean rollback, String rolledBackRunId, String reason, Instant at) {
    }

    /** The run failed at DEPLOY in {@code environment} with {@code reason} (a reason code). */
    record Failure(Run run, String environment, String reason, String message, String logExcerpt, Instant at) {
    }

    /** Returns once the event is durable. */
    void changed(Change change);

    /** Returns once the event is durable. */
    void failed(Failure failure);
}

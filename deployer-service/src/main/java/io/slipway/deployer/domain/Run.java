package io.slipway.deployer.domain;

import java.util.Objects;

/**
 * The pipeline run whose artifact is deployed: its id, repository (owner/name), commit and ref, whether it is a pull
 * or merge request's run, its attempt (1, more for a manual re-run) and the order the trigger accepted it in
 * ({@code acceptedSequence}, 0 when unknown).
 * {@code context} is the messaging layer's own run record, carried unchanged into events and state.
 */
public record Run(String runId, String repository, String commitSha, String ref, boolean request,
                  int attempt, long acceptedSequence, Object context) {

    public Run {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(commitSha, "commitSha");
        Objects.requireNonNull(ref, "ref");
    }

    /** Whether this run was accepted before {@code other} (never when either order is unknown). */
    public boolean olderThan(Run other) {
        return acceptedSequence > 0 && other.acceptedSequence > 0 && acceptedSequence < other.acceptedSequence;
    }
}

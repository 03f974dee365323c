package io.slipway.dashboard.domain;

import java.time.Instant;

/**
 * What runs in one environment for one repository and what waits to go there, from the deployer's state.
 * {@code current} is null before the first deployment, {@code pending} when nothing waits.
 */
public record EnvironmentView(String environment, String repository, Current current, Pending pending,
                              Instant updatedAt) {

    /** The artifact running there, its run and since when. */
    public record Current(String runId, int attempt, String digest, String url, Instant since) {
    }

    /** A promotion waiting for its soak time ({@code notBefore}) and, where required, an operator's approval. */
    public record Pending(String runId, int attempt, String digest, String fromEnvironment, Instant notBefore,
                          boolean approvalRequired, String approvedBy, Instant since) {
    }
}

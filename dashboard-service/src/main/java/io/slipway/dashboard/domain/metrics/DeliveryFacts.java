package io.slipway.dashboard.domain.metrics;

import java.time.Instant;

/** Where the metrics' facts come from: the read model's deployments, failures and run events. */
public interface DeliveryFacts {

    /**
     * Deployments and failures that happened in [{@code from}, {@code to}), and the stage times of the run attempts
     * triggered in it; only of {@code repository} when it is not null.
     */
    Facts between(Instant from, Instant to, String repository);
}

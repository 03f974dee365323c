package io.slipway.deployer.domain;

import java.time.Instant;
import java.util.List;

/**
 * An artifact waiting to go to an environment after it passed the one before ({@code fromEnvironment}): it goes once
 * {@code notBefore} (the end of the soak) has passed and, when {@code approvalRequired}, an operator approved it.
 */
public record Promotion(Placement artifact, String fromEnvironment, List<SmokeCheck> smoke, Instant notBefore,
                        boolean approvalRequired, String approvedBy, Instant waitingSince) {

    public Promotion {
        smoke = smoke == null ? List.of() : List.copyOf(smoke);
    }

    /** Whether it may be deployed at {@code now}. */
    public boolean due(Instant now) {
        return !now.isBefore(notBefore) && (!approvalRequired || approvedBy != null);
    }

    public Promotion approved(String by) {
        return new Promotion(artifact, fromEnvironment, smoke, notBefore, approvalRequired, by, waitingSince);
    }
}

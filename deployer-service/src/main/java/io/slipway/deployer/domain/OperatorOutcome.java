package io.slipway.deployer.domain;

/** The answer to an operator's approval or rollback, as the HTTP API maps it to a status. */
public sealed interface OperatorOutcome {

    /** Deployed (or restored) and, for an approval, its smoke checks passed: 200. */
    record Done(Placement placement, String message) implements OperatorOutcome {
    }

    /** Approved, but the soak time has not passed yet; it deploys then: 202. */
    record Waiting(String message) implements OperatorOutcome {
    }

    /** Nothing to approve or restore: 404. */
    record NotFound(String message) implements OperatorOutcome {
    }

    /** Superseded by a newer run, or not allowed there: 409. */
    record Conflict(String message) implements OperatorOutcome {
    }

    /** The deployment failed (the environment serves what it served before): 422. */
    record Failed(String reason, String message) implements OperatorOutcome {
    }
}

package io.slipway.builder.domain;

/** The build was stopped before it had an outcome (the service is shutting down); its request must be handed back. */
public final class BuildInterrupted extends RuntimeException {
    public BuildInterrupted(String message) {
        super(message);
    }
}

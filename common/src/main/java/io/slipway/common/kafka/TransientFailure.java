package io.slipway.common.kafka;

/**
 * A fault that may go away by itself (broker, registry, Docker engine or remote API unreachable, timeouts).
 * The record pipeline retries the record with backoff instead of dead-lettering it.
 */
public class TransientFailure extends RuntimeException {
    public TransientFailure(String message, Throwable cause) {
        super(message, cause);
    }

    public TransientFailure(String message) {
        super(message);
    }
}

package io.slipway.container.oci;

/**
 * The registry could not be reached, timed out, or answered 5xx, 408 or 429: a fault that may go away by itself.
 * The caller decides what that means (a stage retries the record with backoff); this module knows nothing of
 * Kafka, so it is not a {@code TransientFailure} itself.
 */
public class RegistryUnavailableException extends RuntimeException {

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

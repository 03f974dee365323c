package io.slipway.deliverer.adapter.oci;

import io.slipway.common.kafka.TransientFailure;

/**
 * The registry could not be reached, timed out, or answered 5xx, 408 or 429: a fault that may go away by itself,
 * so the record that needed the registry is retried with backoff.
 */
public class RegistryUnavailableException extends TransientFailure {

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

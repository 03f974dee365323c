package io.slipway.schemas.registry;

import java.net.URI;

/**
 * The schema registry could not be reached at all (connection refused, timeout, I/O error, interrupted), so the
 * request got no answer; callers treat it as transient and retry with backoff.
 */
public final class SchemaRegistryUnavailableException extends SchemaRegistryException {

    public SchemaRegistryUnavailableException(String method, URI url, Throwable cause) {
        super(method, url, -1, -1, null, cause,
                method + " " + url + " failed: schema registry unreachable (" + cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")");
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}

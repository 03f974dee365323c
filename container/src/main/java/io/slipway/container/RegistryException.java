package io.slipway.container;

/**
 * A registry request that did not get an answer Slipway can use. {@link #isTransient()} says whether trying again
 * later may help (registry unreachable, 5xx, 429); {@link #isUnauthorized()} that the registry refused the
 * credentials (401/403 after authenticating).
 */
public final class RegistryException extends RuntimeException {

    private final int status;

    public RegistryException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status, or 0 when the registry could not be reached. */
    public int status() {
        return status;
    }

    public boolean isTransient() {
        return status == 0 || status == 429 || status >= 500;
    }

    public boolean isUnauthorized() {
        return status == 401 || status == 403;
    }
}

package io.slipway.builder.domain;

/**
 * A dependency of the build (Docker engine, registry, git server) cannot be reached right now. The build is tried
 * again with backoff; when the retry budget is spent it ends with {@link #reason()} and {@code retryable=true}.
 */
public final class InfrastructureUnavailable extends RuntimeException {

    private final Reason reason;

    public InfrastructureUnavailable(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

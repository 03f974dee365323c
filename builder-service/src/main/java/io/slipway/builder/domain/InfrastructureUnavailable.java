package io.slipway.builder.domain;

import io.slipway.common.kafka.TransientFailure;

/**
 * A dependency of the build (Docker engine, registry, git server) cannot be reached right now. The record pipeline
 * tries the build again with backoff; when the retry budget is spent the run ends with {@link #reason()},
 * {@code retryable=true} and the {@link #logExcerpt()} of the last attempt.
 */
public final class InfrastructureUnavailable extends TransientFailure {

    private final Reason reason;
    private final String logExcerpt;

    public InfrastructureUnavailable(Reason reason, String message, Throwable cause) {
        this(reason, message, cause, null);
    }

    private InfrastructureUnavailable(Reason reason, String message, Throwable cause, String logExcerpt) {
        super(message, cause);
        this.reason = reason;
        this.logExcerpt = logExcerpt;
    }

    public Reason reason() {
        return reason;
    }

    /** The end of the build log of the attempt that met the fault; null until the build service adds it. */
    public String logExcerpt() {
        return logExcerpt;
    }

    /** The same fault as the build service reports it: its message masked, with the attempt's log excerpt. */
    InfrastructureUnavailable reported(String maskedMessage, String excerpt) {
        return new InfrastructureUnavailable(reason, maskedMessage, getCause(), excerpt);
    }
}

package io.slipway.builder.domain;

/** A build ends without an image for a reason that retrying right away will not change; becomes {@code BuildFailed}. */
public final class StageFailure extends RuntimeException {

    private final Reason reason;
    private final boolean retryable;

    public StageFailure(Reason reason, String message, boolean retryable) {
        super(message);
        this.reason = reason;
        this.retryable = retryable;
    }

    public Reason reason() {
        return reason;
    }

    public boolean retryable() {
        return retryable;
    }
}

package io.slipway.notifier.domain;

import java.time.Duration;
import java.util.Optional;

/**
 * The channel could not take the notification now (5xx, 429 or another rate limit, timeout, connection refused):
 * worth retrying, and not before {@link #retryAfter()} when the channel said how long to wait.
 */
public class ChannelUnavailable extends RuntimeException {

    private final transient Duration retryAfter;

    public ChannelUnavailable(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}

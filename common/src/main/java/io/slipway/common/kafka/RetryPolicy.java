package io.slipway.common.kafka;

import java.time.Duration;

/**
 * Exponential backoff for transient faults: attempt {@code n} (1-based) waits
 * {@code initialBackoff * 2^(n-1)}, capped at {@code maxBackoff}, before attempt {@code n+1}.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
    }

    /** The wait after the given failed attempt (1-based). */
    public Duration backoffAfter(int attempt) {
        long factor = 1L << Math.min(attempt - 1, 30);
        long millis = initialBackoff.toMillis() * factor;
        return millis >= maxBackoff.toMillis() || millis < 0 ? maxBackoff : Duration.ofMillis(millis);
    }
}

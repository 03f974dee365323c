package io.slipway.notifier.domain;

import io.slipway.common.kafka.RetryPolicy;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Repeats one call to a channel while the channel is unavailable: exponential backoff from the policy, never sooner
 * than the channel's {@code Retry-After} (honoured up to {@code maxRetryAfter}); after {@code maxAttempts} it gives
 * up with {@link Exhausted}. Each call is retried on its own, so a step that succeeded is never repeated.
 */
public final class Retrier {

    /** Waits between attempts; the Kafka side keeps its consumer alive meanwhile and may abort the wait. */
    @FunctionalInterface
    public interface Waiter {
        void await(Duration duration);
    }

    /** Told before each wait, for logs and metrics. */
    @FunctionalInterface
    public interface Listener {
        void retrying(int failedAttempt, Duration delay, ChannelUnavailable failure);
    }

    /** The retry budget of one call. */
    public record Policy(RetryPolicy backoff, Duration maxRetryAfter) {
    }

    /** The channel stayed unavailable for every attempt. */
    public static final class Exhausted extends RuntimeException {
        private final int attempts;

        Exhausted(int attempts, ChannelUnavailable last) {
            super("gave up after " + attempts + " attempts: " + last.getMessage(), last);
            this.attempts = attempts;
        }

        public int attempts() {
            return attempts;
        }
    }

    private final Policy policy;
    private final Waiter waiter;
    private final Listener onRetry;

    public Retrier(Policy policy, Waiter waiter, Listener onRetry) {
        this.policy = policy;
        this.waiter = waiter;
        this.onRetry = onRetry;
    }

    public <T> T call(Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (ChannelUnavailable e) {
                if (attempt >= policy.backoff().maxAttempts()) {
                    throw new Exhausted(attempt, e);
                }
                Duration delay = delayAfter(attempt, e);
                onRetry.retrying(attempt, delay, e);
                waiter.await(delay);
            }
        }
    }

    public void run(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }

    /** The wait after a failed attempt: the backoff, or the channel's Retry-After (capped) when that is longer. */
    public Duration delayAfter(int attempt, ChannelUnavailable failure) {
        Duration backoff = policy.backoff().backoffAfter(attempt);
        Duration asked = failure.retryAfter().map(d -> d.compareTo(policy.maxRetryAfter()) > 0 ? policy.maxRetryAfter() : d)
                .orElse(Duration.ZERO);
        return asked.compareTo(backoff) > 0 ? asked : backoff;
    }
}

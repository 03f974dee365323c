package io.slipway.notifier.domain;

import io.slipway.common.kafka.RetriesExhausted;
import io.slipway.common.kafka.RetryBudget;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Repeats one call to a channel while the channel is unavailable, for the policy's retry budget (a time, counted from
 * the call's first failure, as the record pipeline counts it for records): exponential backoff, never sooner than the
 * channel's {@code Retry-After} (honoured up to {@code maxRetryAfter}); once the budget is spent, or when the channel
 * asks for a wait longer than what is left of it, it gives up with {@link Exhausted}. Each call is retried on its own,
 * so a step that succeeded is never repeated.
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

    /** The retry budget of one call, and the clock it is measured with. */
    public record Policy(RetryBudget budget, Duration maxRetryAfter, Clock clock) {
    }

    /** The channel stayed unavailable through the retry budget. */
    public static final class Exhausted extends RuntimeException {
        private final int attempts;

        Exhausted(RetriesExhausted exhausted) {
            super(exhausted.message(), exhausted.lastFault());
            this.attempts = exhausted.attempts();
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
        Instant firstFailure = null;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (ChannelUnavailable e) {
                Instant now = policy.clock().instant();
                firstFailure = firstFailure == null ? now : firstFailure;
                Duration spent = Duration.between(firstFailure, now);
                Duration left = policy.budget().budget().minus(spent);
                Duration asked = asked(e);
                if (left.isNegative() || left.isZero() || asked.compareTo(left) > 0) {
                    throw new Exhausted(new RetriesExhausted(spent, attempt, e));
                }
                Duration backoff = policy.budget().backoffAfter(attempt);
                Duration delay = max(asked, backoff.compareTo(left) < 0 ? backoff : left);
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

    /** The channel's Retry-After, capped at {@code maxRetryAfter}; zero when it asked for nothing. */
    private Duration asked(ChannelUnavailable failure) {
        return failure.retryAfter().map(d -> d.compareTo(policy.maxRetryAfter()) > 0 ? policy.maxRetryAfter() : d)
                .orElse(Duration.ZERO);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}

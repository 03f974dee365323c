package io.slipway.common.kafka;

import io.slipway.common.yaml.DurationSyntax;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a stage keeps retrying a record that meets transient faults: a time, counted from the record's first
 * transient fault, not a number of attempts. After failed attempt {@code n} (1-based) the record waits
 * {@code initialBackoff * 2^(n-1)}, capped at {@code maxBackoff} and at what is left of the budget; a fault that
 * comes once the budget is spent ends the retries.
 */
public record RetryBudget(Duration budget, Duration initialBackoff, Duration maxBackoff) {

    public RetryBudget {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (budget.isNegative()) {
            throw new IllegalArgumentException("the retry budget must not be negative, was " + budget);
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must start above zero and be capped no lower than it starts, "
                    + "was " + initialBackoff + " capped at " + maxBackoff);
        }
    }

    /** The wait after the given failed attempt (1-based), before the rest of the budget is taken into account. */
    public Duration backoffAfter(int attempt) {
        long factor = 1L << Math.min(attempt - 1, 30);
        long millis = initialBackoff.toMillis() * factor;
        return millis >= maxBackoff.toMillis() || millis < 0 ? maxBackoff : Duration.ofMillis(millis);
    }

    /**
     * Checks that waiting out the budget cannot get a consumer evicted from its group. A stage worker goes back to poll
     * once half of {@code max.poll.interval.ms} has passed since its last poll, but a record begun just before then
     * may still wait a whole budget; so one budget must fit in half of the poll interval.
     *
     * @throws IllegalArgumentException naming the settings to change when it does not fit
     */
    public void requireWithin(Duration maxPollInterval) {
        if (budget.compareTo(maxPollInterval.dividedBy(2)) > 0) {
            throw new IllegalArgumentException("the retry budget of " + DurationSyntax.format(budget) + " does not fit "
                    + "the consumer's poll interval: a record may wait it out just before the worker's next poll is "
                    + "due, so it must be at most half of max.poll.interval.ms (slipway.kafka.max-poll-interval-ms, "
                    + DurationSyntax.format(maxPollInterval) + "); the group would evict the consumer in the middle of "
                    + "a retry. Lower the budget (slipway.kafka.retry-budget) or raise the poll interval");
        }
    }

    /**
     * Checks that waiting out the budget cannot get a transaction shared by several records aborted by the broker: it
     * may have been open up to {@code commitAfter} when a record begins and then wait a whole budget, so both must fit
     * in the transaction timeout.
     *
     * @throws IllegalArgumentException naming the settings to change when they do not fit
     */
    public void requireWithinTransaction(Duration commitAfter, Duration transactionTimeout) {
        Duration open = commitAfter.plus(budget);
        if (open.compareTo(transactionTimeout) > 0) {
            throw new IllegalArgumentException("the retry budget of " + DurationSyntax.format(budget) + " does not fit "
                    + "the stage's transaction timeout: a transaction open for up to "
                    + DurationSyntax.format(commitAfter) + " (slipway.kafka.transaction-commit-after) may then wait a "
                    + "whole budget, " + DurationSyntax.format(open) + " in all, more than transaction.timeout.ms "
                    + "(slipway.kafka.transaction-timeout-ms, " + DurationSyntax.format(transactionTimeout) + "); the "
                    + "broker would abort it in the middle of a retry. Lower the budget (slipway.kafka.retry-budget) "
                    + "or raise the transaction timeout");
        }
    }
}

package io.slipway.common.kafka;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryBudgetTest {

    @Test
    void backoffDoublesAndIsCapped() {
        RetryBudget budget = new RetryBudget(Duration.ofMinutes(1), Duration.ofMillis(200), Duration.ofSeconds(1));

        assertThat(budget.backoffAfter(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(budget.backoffAfter(3)).isEqualTo(Duration.ofMillis(800));
        assertThat(budget.backoffAfter(4)).isEqualTo(Duration.ofSeconds(1));
        assertThat(budget.backoffAfter(60)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void oneBudgetMustFitInHalfThePollInterval() {
        RetryBudget twoMinutes = new RetryBudget(Duration.ofMinutes(2), Duration.ofMillis(200), Duration.ofSeconds(30));

        assertThatCode(() -> twoMinutes.requireWithin(Duration.ofMinutes(4))).doesNotThrowAnyException();
        assertThatThrownBy(() -> twoMinutes.requireWithin(Duration.ofMinutes(3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the retry budget of 2m does not fit")
                .hasMessageContaining("max.poll.interval.ms (slipway.kafka.max-poll-interval-ms, 3m)")
                .hasMessageContaining("slipway.kafka.retry-budget");
    }

    @Test
    void aSharedTransactionMustHoldItsOpenTimeAndOneBudgetWithinItsTimeout() {
        RetryBudget twoMinutes = new RetryBudget(Duration.ofMinutes(2), Duration.ofMillis(200), Duration.ofSeconds(30));

        assertThatCode(() -> twoMinutes.requireWithinTransaction(Duration.ofSeconds(1), Duration.ofMinutes(3)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> twoMinutes.requireWithinTransaction(Duration.ofSeconds(1), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the retry budget of 2m does not fit the stage's transaction timeout")
                .hasMessageContaining("2m1s in all")
                .hasMessageContaining("(slipway.kafka.transaction-timeout-ms, 1m)")
                .hasMessageContaining("slipway.kafka.retry-budget");
    }

    @Test
    void refusesANegativeBudgetAndABackoffThatDoesNotStartAboveZero() {
        assertThatThrownBy(() -> new RetryBudget(Duration.ofSeconds(-1), Duration.ofMillis(1), Duration.ofMillis(1)))
                .hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> new RetryBudget(Duration.ofSeconds(1), Duration.ZERO, Duration.ofMillis(1)))
                .hasMessageContaining("backoff must start above zero");
        assertThatThrownBy(() -> new RetryBudget(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("capped no lower than it starts");
    }
}

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
    void theBudgetsOfEveryRecordOfAPollMustFitInHalfThePollInterval() {
        RetryBudget twoMinutes = new RetryBudget(Duration.ofMinutes(2), Duration.ofMillis(200), Duration.ofSeconds(30));

        assertThatCode(() -> twoMinutes.requireWithin(1, Duration.ofMinutes(5))).doesNotThrowAnyException();
        assertThatThrownBy(() -> twoMinutes.requireWithin(50, Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the retry budget of 2m does not fit")
                .hasMessageContaining("50 record(s) per poll (slipway.kafka.max-poll-records) may each wait 2m, 1h40m in all")
                .hasMessageContaining("max.poll.interval.ms (slipway.kafka.max-poll-interval-ms, 5m)")
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

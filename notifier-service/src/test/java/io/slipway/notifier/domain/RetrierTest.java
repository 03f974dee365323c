package io.slipway.notifier.domain;

import io.slipway.common.kafka.RetryBudget;
import io.slipway.common.testing.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetrierTest {

    private final List<Duration> waits = new ArrayList<>();
    private final AtomicInteger retries = new AtomicInteger();
    private final TestClock clock = new TestClock(Instant.parse("2026-05-01T10:00:00Z"));
    private final Retrier retrier = new Retrier(new Retrier.Policy(new RetryBudget(Duration.ofSeconds(30),
            Duration.ofMillis(500), Duration.ofSeconds(3)), Duration.ofSeconds(20), clock), delay -> {
                waits.add(delay);
                clock.advance(delay);
            }, (attempt, delay, failure) -> retries.incrementAndGet());

    private Runnable failing(int times, Duration retryAfter) {
        AtomicInteger calls = new AtomicInteger();
        return () -> {
            if (calls.incrementAndGet() <= times) {
                throw new ChannelUnavailable("HTTP 503", retryAfter, null);
            }
        };
    }

    @Test
    void backsOffExponentiallyUpToTheMaximum() {
        retrier.run(failing(4, null));

        assertThat(waits).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3));
        assertThat(retries).hasValue(4);
    }

    @Test
    void waitsAtLeastAsLongAsTheChannelsRetryAfterButNoLongerThanTheCap() {
        retrier.run(failing(1, Duration.ofSeconds(7)));
        retrier.run(failing(1, Duration.ofHours(1)));
        retrier.run(failing(1, Duration.ofMillis(10)));

        assertThat(waits).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(20), Duration.ofMillis(500));
    }

    @Test
    void givesUpWhenTheBudgetIsSpentWithTheLastFailure() {
        assertThatThrownBy(() -> retrier.run(failing(100, null)))
                .isInstanceOfSatisfying(Retrier.Exhausted.class, e -> assertThat(e.attempts()).isEqualTo(13))
                .hasMessage("HTTP 503; still failing after retrying for 30s (13 attempts)")
                .hasCauseInstanceOf(ChannelUnavailable.class);
        assertThat(waits.stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void givesUpAtOnceWhenTheChannelAsksForALongerWaitThanTheBudgetHasLeft() {
        assertThatThrownBy(() -> retrier.run(failing(2, Duration.ofSeconds(20))))
                .isInstanceOfSatisfying(Retrier.Exhausted.class, e -> assertThat(e.attempts()).isEqualTo(2));
        assertThat(waits).containsExactly(Duration.ofSeconds(20));
    }

    @Test
    void doesNotRetryARejection() {
        assertThatThrownBy(() -> retrier.run(() -> {
            throw new NotificationRejected("github POST /repos/o/r/issues", 422, "Validation Failed");
        })).isInstanceOf(NotificationRejected.class);
        assertThat(waits).isEmpty();
    }
}

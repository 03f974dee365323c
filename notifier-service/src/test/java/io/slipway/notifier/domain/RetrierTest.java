package io.slipway.notifier.domain;

import io.slipway.common.kafka.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetrierTest {

    private final List<Duration> waits = new ArrayList<>();
    private final AtomicInteger retries = new AtomicInteger();
    private final Retrier retrier = new Retrier(new Retrier.Policy(new RetryPolicy(5, Duration.ofMillis(500),
            Duration.ofSeconds(3)), Duration.ofSeconds(20)), waits::add, (attempt, delay, failure) -> retries.incrementAndGet());

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
    void givesUpAfterTheLastAttemptWithTheLastFailure() {
        assertThatThrownBy(() -> retrier.run(failing(5, null)))
                .isInstanceOfSatisfying(Retrier.Exhausted.class, e -> assertThat(e.attempts()).isEqualTo(5))
                .hasMessageContaining("HTTP 503").hasCauseInstanceOf(ChannelUnavailable.class);
        assertThat(waits).hasSize(4);
    }

    @Test
    void doesNotRetryARejection() {
        assertThatThrownBy(() -> retrier.run(() -> {
            throw new NotificationRejected("github POST /repos/o/r/issues", 422, "Validation Failed");
        })).isInstanceOf(NotificationRejected.class);
        assertThat(waits).isEmpty();
    }
}

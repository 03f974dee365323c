package io.slipway.common.liveness;

import io.slipway.common.testing.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeartbeatsTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private final TestClock clock = new TestClock(START);
    private final Heartbeats heartbeats = new Heartbeats(clock);

    @Test
    void aWorkerThatPollsWithinItsIntervalIsAlive() {
        Heartbeat tail = heartbeats.register("commits tail", Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(29));
        tail.beat();
        clock.advance(Duration.ofSeconds(30));

        assertThat(heartbeats.alive()).isTrue();
        assertThat(heartbeats.vitals()).singleElement().satisfies(v -> {
            assertThat(v.state()).isEqualTo("polling");
            assertThat(v.since()).isEqualTo(START.plusSeconds(29));
        });
    }

    @Test
    void aWorkerSilentForLongerThanItsIntervalIsDownSinceItsLastPoll() {
        Heartbeat tail = heartbeats.register("commits tail", Duration.ofSeconds(30));
        tail.beat();
        tail.error(new IllegalStateException("broker unreachable"));
        clock.advance(Duration.ofSeconds(31));

        assertThat(heartbeats.alive()).isFalse();
        assertThat(heartbeats.vitals()).singleElement().satisfies(v -> {
            assertThat(v.alive()).isFalse();
            assertThat(v.state()).isEqualTo("has not polled for 31 s (expected at least once every 30 s)");
            assertThat(v.since()).isEqualTo(START);
            assertThat(v.lastError()).isEqualTo("java.lang.IllegalStateException: broker unreachable");
        });
    }

    @Test
    void aWorkerThatNeverPolledIsStartingUntilItsIntervalIsOver() {
        heartbeats.register("ledger", Duration.ofSeconds(10));
        assertThat(heartbeats.vitals()).singleElement().satisfies(v -> assertThat(v.state()).isEqualTo("starting"));

        clock.advance(Duration.ofSeconds(11));

        assertThat(heartbeats.vitals()).singleElement().satisfies(v -> {
            assertThat(v.alive()).isFalse();
            assertThat(v.state()).startsWith("has not polled since it started 11 s");
        });
    }

    @Test
    void pollsCountedElsewhereKeepAWorkerAlive() {
        heartbeats.register("kafka listener images", Duration.ofSeconds(10),
                () -> Optional.of(clock.instant().minusSeconds(2)));
        clock.advance(Duration.ofMinutes(5));

        assertThat(heartbeats.alive()).isTrue();
    }

    @Test
    void aThreadKilledByAnErrorIsDownWithThatErrorFromThenOn() {
        Heartbeat listener = heartbeats.register("kafka listener images", Duration.ofMinutes(60));
        Runnable body = listener.guard(() -> {
            throw new OutOfMemoryError("Java heap space");
        });
        clock.advance(Duration.ofSeconds(5));

        assertThatThrownBy(body::run).isInstanceOf(OutOfMemoryError.class);
        listener.beat();

        assertThat(heartbeats.vitals()).singleElement().satisfies(v -> {
            assertThat(v.alive()).isFalse();
            assertThat(v.state()).isEqualTo("thread died: java.lang.OutOfMemoryError: Java heap space");
            assertThat(v.since()).isEqualTo(START.plusSeconds(5));
            assertThat(v.lastError()).isEqualTo("java.lang.OutOfMemoryError: Java heap space");
        });
    }

    @Test
    void aThreadThatReturnsWithoutBeingAskedIsDown() {
        Heartbeat tail = heartbeats.register("commits tail", Duration.ofMinutes(1));
        tail.guard(() -> { }).run();

        assertThat(heartbeats.vitals()).singleElement()
                .satisfies(v -> assertThat(v.state()).isEqualTo("stopped without being asked to"));
    }

    @Test
    void aClosedHeartbeatIsNoLongerWatched() {
        Heartbeat tail = heartbeats.register("commits tail", Duration.ofSeconds(1));
        heartbeats.register("ledger", Duration.ofSeconds(1)).beat();
        tail.close();
        tail.ended(null);

        assertThat(heartbeats.vitals()).extracting(Vital::name).containsExactly("ledger");
        assertThat(heartbeats.alive()).isTrue();
    }

    @Test
    void refusesAnIntervalThatIsNotPositive() {
        assertThatThrownBy(() -> heartbeats.register("tail", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tail");
    }
}

package io.slipway.common.messaging;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import io.slipway.common.liveness.Heartbeat;
import io.slipway.common.liveness.Heartbeats;
import io.slipway.common.testing.TestClock;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LivenessHealthIndicatorTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Heartbeats heartbeats = new Heartbeats(clock);
    private final LivenessHealthIndicator indicator = new LivenessHealthIndicator(heartbeats);

    @Test
    void isUpWithEachWorkerPollingWhenAllAreAlive() {
        heartbeats.register("commits tail", Duration.ofMinutes(1)).beat();

        HealthResult result = result();

        assertThat(result.getName()).isEqualTo("liveness");
        assertThat(result.getStatus()).isEqualTo(HealthStatus.UP);
        assertThat(details(result)).doesNotContainKey("reason")
                .containsEntry("commits tail", Map.of("status", "UP", "state", "polling",
                        "since", "2026-01-01T00:00:00Z"));
    }

    @Test
    void isDownNamingTheDeadWorkerSinceWhenAndItsErrorWhileTheOthersStayUp() {
        heartbeats.register("commits tail", Duration.ofMinutes(1)).beat();
        Heartbeat listener = heartbeats.register("kafka listener tester-service-1", Duration.ofHours(1));
        listener.beat();
        clock.advance(Duration.ofSeconds(7));
        listener.ended(new OutOfMemoryError("Java heap space"));

        HealthResult result = result();

        assertThat(result.getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat(details(result)).containsEntry("reason", "kafka listener tester-service-1 thread died: "
                + "java.lang.OutOfMemoryError: Java heap space (since 2026-01-01T00:00:07Z)");
        assertThat(details(result).get("kafka listener tester-service-1")).isEqualTo(Map.of("status", "DOWN",
                "state", "thread died: java.lang.OutOfMemoryError: Java heap space",
                "since", "2026-01-01T00:00:07Z", "lastError", "java.lang.OutOfMemoryError: Java heap space"));
        assertThat(details(result).get("commits tail")).isEqualTo(Map.of("status", "UP", "state", "polling",
                "since", "2026-01-01T00:00:00Z"));
    }

    private HealthResult result() {
        return Mono.from(indicator.getResult()).block();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(HealthResult result) {
        return (Map<String, Object>) result.getDetails();
    }
}

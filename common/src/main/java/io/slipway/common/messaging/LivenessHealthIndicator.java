package io.slipway.common.messaging;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.slipway.common.liveness.Heartbeats;
import io.slipway.common.liveness.Vital;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code liveness} check of {@code /health}: DOWN, and so HTTP 503 for a container health check or an
 * orchestrator to restart the service, when a worker in {@link Heartbeats} died or stopped polling; its details name
 * each worker with its state, since when, and its last error, and {@code reason} sums up the ones that are down.
 */
@Singleton
class LivenessHealthIndicator implements HealthIndicator {

    static final String NAME = "liveness";

    private final Heartbeats heartbeats;

    LivenessHealthIndicator(Heartbeats heartbeats) {
        this.heartbeats = heartbeats;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        List<Vital> vitals = heartbeats.vitals();
        Map<String, Object> details = new LinkedHashMap<>();
        List<Vital> down = vitals.stream().filter(v -> !v.alive()).toList();
        if (!down.isEmpty()) {
            details.put("reason", down.stream().map(v -> v.name() + " " + v.state() + " (since " + v.since() + ")")
                    .collect(Collectors.joining("; ")));
        }
        for (Vital vital : vitals) {
            Map<String, Object> worker = new LinkedHashMap<>();
            worker.put("status", vital.alive() ? "UP" : "DOWN");
            worker.put("state", vital.state());
            worker.put("since", vital.since().toString());
            if (vital.lastError() != null) {
                worker.put("lastError", vital.lastError());
            }
            details.put(vital.name(), worker);
        }
        return Publishers.just(HealthResult.builder(NAME, down.isEmpty() ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details).build());
    }
}

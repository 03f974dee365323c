package io.slipway.tester.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.slipway.common.config.SlipwayKafkaProperties;
import io.slipway.common.kafka.EventPublisher;
import io.slipway.common.kafka.TransientFailure;
import io.slipway.events.ImageBuilt;
import io.slipway.tester.domain.Outcome;
import io.slipway.tester.domain.ImageTests;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the tester for one {@code ImageBuilt} and publishes its outcome. A Docker engine or registry that stays
 * unreachable is retried by the record pipeline (the record stays uncommitted); on the last attempt of the budget
 * the run ends as {@code BuildFailed INFRASTRUCTURE}, retryable, instead of a dead letter.
 */
@Singleton
public class ImageTesting {

    private final ImageTests tester;
    private final EventPublisher publisher;
    private final MeterRegistry meters;
    private final int attemptBudget;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

    ImageTesting(ImageTests tester, EventPublisher publisher, MeterRegistry meters, SlipwayKafkaProperties kafka) {
        this.tester = tester;
        this.publisher = publisher;
        this.meters = meters;
        this.attemptBudget = kafka.retryAttempts();
    }

    void test(ImageBuilt event) {
        Outcome outcome;
        try {
            outcome = tester.test(EventMapping.request(event));
        } catch (TransientFailure e) {
            int attempt = attempts.merge(event.getEventId(), 1, Integer::sum);
            if (attempt < attemptBudget) {
                throw e;
            }
            outcome = new Outcome.Failed(Outcome.Reason.INFRASTRUCTURE, "the tester could not reach the Docker engine "
                    + "or the registry in " + attempt + " attempts: " + e.getMessage(), "", true, List.of(), null);
        }
        attempts.remove(event.getEventId());
        publisher.publish(EventMapping.outcome(event, outcome, clock.instant()));
        meters.counter("slipway.tester.runs", "outcome", outcome instanceof Outcome.Failed f ? f.reason().name()
                : "PASSED").increment();
    }
}

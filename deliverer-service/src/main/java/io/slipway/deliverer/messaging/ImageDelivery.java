package io.slipway.deliverer.messaging;

import io.slipway.common.kafka.EventPublisher;
import io.slipway.deliverer.domain.Delivery;
import io.slipway.deliverer.domain.DeliveryService;
import io.slipway.deliverer.domain.Outcome;
import io.slipway.events.TestsPassed;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * Delivers one tested image: delivers, publishes the outcome, then records it, so a redelivered record finds its
 * outcome and emits nothing. A registry that stays unreachable is retried by the record pipeline, and when the retry
 * budget is spent the record goes to {@code slipway.tests.dlq} (replaying it later is safe).
 */
@Singleton
public class ImageDelivery {

    private final DeliveryService deliverer;
    private final EventPublisher publisher;
    private final DeliveryObserver observer;
    private final Clock clock;

    ImageDelivery(DeliveryService deliverer, EventPublisher publisher, DeliveryObserver observer, Clock clock) {
        this.deliverer = deliverer;
        this.publisher = publisher;
        this.observer = observer;
        this.clock = clock;
    }

    void deliver(TestsPassed event) {
        Delivery delivery = EventMapping.toDelivery(event);
        Outcome outcome = deliverer.deliver(delivery);
        EventMapping.events(event, outcome, clock.instant()).forEach(publisher::publish);
        deliverer.recordOutcome(delivery, outcome);
        observer.delivered(delivery, outcome);
    }
}

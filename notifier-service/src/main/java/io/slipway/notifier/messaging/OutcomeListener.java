package io.slipway.notifier.messaging;

import io.slipway.common.kafka.Batching;
import io.slipway.common.kafka.RecordPipeline;
import io.slipway.common.kafka.StageListener;
import io.slipway.common.kafka.StageSubscription;
import io.slipway.common.kafka.WhenExhausted;
import io.slipway.notifier.domain.Routing;
import io.slipway.schemas.Topics;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.List;

/**
 * Turns each run outcome into one queued delivery per channel that routing selects, queued in one Kafka transaction
 * with the offsets of the poll's outcomes, so each outcome is queued exactly once; a record that cannot be decoded
 * goes to its topic's {@code .dlq} once, whatever the number of channels. {@code TestsPassed} is read for the runs of
 * pull and merge requests, which end there; a push's is skipped. {@code Deployed} on {@code slipway.deployments} says
 * what now runs in an environment.
 */
@Singleton
public class OutcomeListener implements StageListener {

    private static final StageSubscription SUBSCRIPTION = new StageSubscription("notifier-service",
            List.of(Topics.COMMITS, Topics.FAILURES, Topics.TESTS, Topics.ARTIFACTS, Topics.DEPLOYMENTS), 1,
            Batching.PER_POLL);

    private final RecordPipeline pipeline;
    private final Routing routing;
    private final DeliveryQueue queue;

    OutcomeListener(RecordPipeline pipeline, Routing routing, DeliveryQueue queue) {
        this.pipeline = pipeline;
        this.routing = routing;
        this.queue = queue;
    }

    @Override
    public StageSubscription subscription() {
        return SUBSCRIPTION;
    }

    @Override
    public void receive(ConsumerRecord<byte[], byte[]> record) {
        pipeline.process(record, Topics.eventType(record.topic()).orElseThrow(),
                event -> queue.enqueue(EventMapping.toNotification(event).map(routing::deliveriesFor).orElse(List.of())),
                WhenExhausted.deadLetter());
    }
}

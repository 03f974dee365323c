package io.slipway.notifier.messaging;

import io.micronaut.configuration.kafka.annotation.Topic;
import io.slipway.common.kafka.RecordPipeline;
import io.slipway.common.kafka.SlipwayListener;
import io.slipway.common.kafka.WhenExhausted;
import io.slipway.notifier.domain.Routing;
import io.slipway.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.List;

/**
 * Turns each run outcome into one queued delivery per channel that routing selects, and only then lets its offset be
 * committed; a record that cannot be decoded goes to its topic's {@code .dlq} once, whatever the number of channels.
 * {@code TestsPassed} is read for the runs of pull and merge requests, which end there; a push's is skipped.
 * {@code Deployed} on {@code slipway.deployments} says what now runs in an environment.
 */
@SlipwayListener("notifier-service")
public class OutcomeListener {

    private final RecordPipeline pipeline;
    private final Routing routing;
    private final DeliveryQueue queue;

    OutcomeListener(RecordPipeline pipeline, Routing routing, DeliveryQueue queue) {
        this.pipeline = pipeline;
        this.routing = routing;
        this.queue = queue;
    }

    @Topic({Topics.COMMITS, Topics.FAILURES, Topics.TESTS, Topics.ARTIFACTS, Topics.DEPLOYMENTS})
    void receive(ConsumerRecord<byte[], byte[]> record) {
        pipeline.process(record, Topics.eventType(record.topic()).orElseThrow(),
                event -> queue.enqueue(EventMapping.toNotification(event).map(routing::deliveriesFor).orElse(List.of())),
                WhenExhausted.deadLetter());
    }
}

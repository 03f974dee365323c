package io.slipway.deliverer.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.slipway.common.kafka.EventPublisher;
import io.slipway.common.kafka.RecordPipeline;
import io.slipway.common.kafka.SlipwayListener;
import io.slipway.deliverer.domain.Delivery;
import io.slipway.deliverer.domain.DeliveryService;
import io.slipway.deliverer.domain.Outcome;
import io.slipway.events.TestsPassed;
import io.slipway.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Collection;

/**
 * Delivers each tested image in partition order (one repository's runs in the order they passed their tests):
 * delivers, publishes the outcome, then records it, so a redelivered record finds its outcome and emits nothing.
 */
@SlipwayListener("deliverer-service")
public class TestsPassedListener implements ConsumerRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(TestsPassedListener.class);

    private final RecordPipeline pipeline;
    private final DeliveryService deliverer;
    private final EventPublisher publisher;
    private final KafkaDeliveryLedger ledger;
    private final MeterRegistry meters;
    private final Clock clock;

    TestsPassedListener(RecordPipeline pipeline, DeliveryService deliverer, EventPublisher publisher,
                        KafkaDeliveryLedger ledger, MeterRegistry meters, Clock clock) {
        this.pipeline = pipeline;
        this.deliverer = deliverer;
        this.publisher = publisher;
        this.ledger = ledger;
        this.meters = meters;
        this.clock = clock;
    }

    @Topic(Topics.TESTS)
    void receive(ConsumerRecord<byte[], byte[]> record) {
        pipeline.process(record, TestsPassed.class, event -> {
            Delivery delivery = EventMapping.toDelivery(event);
            Outcome outcome = deliverer.deliver(delivery);
            EventMapping.events(event.getRun(), outcome, clock.instant()).forEach(publisher::publish);
            deliverer.recordOutcome(delivery, outcome);
            observe(delivery, outcome);
        });
    }

    private void observe(Delivery delivery, Outcome outcome) {
        String run = delivery.runId() + "#" + delivery.attempt() + " of " + delivery.repository();
        if (outcome instanceof Outcome.Published published) {
            LOG.info("Run {}: published {} as {} to {}", run, published.digest(), published.tags(),
                    published.publications().stream().map(p -> p.target().toString()).toList());
            for (Outcome.Publication p : published.publications()) {
                meters.counter("slipway.deliverer.blobs", "how", "present").increment(p.promotion().blobsPresent());
                meters.counter("slipway.deliverer.blobs", "how", "mounted").increment(p.promotion().blobsMounted());
                meters.counter("slipway.deliverer.blobs", "how", "uploaded").increment(p.promotion().blobsUploaded());
                meters.counter("slipway.deliverer.uploaded.bytes").increment(p.promotion().bytesUploaded());
            }
        } else if (outcome instanceof Outcome.Failed failed) {
            LOG.warn("Run {}: delivery failed ({}): {}", run, failed.reason(), failed.message());
        } else {
            LOG.info("Run {}: already delivered ({}), nothing published again", run,
                    ((Outcome.AlreadyDelivered) outcome).earlier().outcome());
        }
        String name = outcome instanceof Outcome.Published ? "published"
                : outcome instanceof Outcome.Failed ? "failed" : "duplicate";
        meters.counter("slipway.deliverer.deliveries", "outcome", name).increment();
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        // What the previous owner of these repositories delivered must be known before their next record.
        ledger.reload();
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        // Nothing to hand over: every tag move and outcome is already in the state topic.
    }
}

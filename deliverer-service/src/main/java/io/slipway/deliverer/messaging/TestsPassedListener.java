package io.slipway.deliverer.messaging;

import io.slipway.common.kafka.Batching;
import io.slipway.common.kafka.RecordPipeline;
import io.slipway.common.kafka.StageListener;
import io.slipway.common.kafka.StageSubscription;
import io.slipway.common.kafka.WhenExhausted;
import io.slipway.events.TestsPassed;
import io.slipway.schemas.Topics;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.List;

/**
 * Delivers each tested image in partition order (one repository's runs in the order they passed their tests). A
 * poll's records are delivered in one Kafka transaction with their offsets, their {@code ArtifactPublished} events
 * and the ledger's writes, so a replayed poll finds either all of it or none.
 */
@Singleton
public class TestsPassedListener implements StageListener {

    private static final StageSubscription SUBSCRIPTION =
            new StageSubscription("deliverer-service", List.of(Topics.TESTS), 1, Batching.PER_POLL);

    private final RecordPipeline pipeline;
    private final ImageDelivery delivery;
    private final KafkaDeliveryLedger ledger;

    TestsPassedListener(RecordPipeline pipeline, ImageDelivery delivery, KafkaDeliveryLedger ledger) {
        this.pipeline = pipeline;
        this.delivery = delivery;
        this.ledger = ledger;
    }

    @Override
    public StageSubscription subscription() {
        return SUBSCRIPTION;
    }

    @Override
    public void receive(ConsumerRecord<byte[], byte[]> record) {
        pipeline.process(record, TestsPassed.class, delivery::deliver, WhenExhausted.deadLetter());
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        // What the previous owner of these repositories delivered must be known before their next record.
        ledger.reload();
    }

    /**
     * The ledger already holds what the aborted transaction wrote, which the state topic will never have, so it reads
     * the topic again; the worker tries that again until it worked (an aborted transaction is often a broker away),
     * and only then redoes the poll.
     */
    @Override
    public void onAborted() {
        ledger.forgetUncommitted();
    }
}

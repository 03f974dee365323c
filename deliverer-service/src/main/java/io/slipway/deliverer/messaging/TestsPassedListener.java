package io.slipway.deliverer.messaging;

import io.micronaut.configuration.kafka.annotation.Topic;
import io.slipway.common.kafka.RecordPipeline;
import io.slipway.common.kafka.SlipwayListener;
import io.slipway.common.kafka.WhenExhausted;
import io.slipway.events.TestsPassed;
import io.slipway.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;

/**
 * Delivers each tested image in partition order (one repository's runs in the order they passed their tests), one
 * record per poll ({@code slipway.kafka.max-poll-records: 1} in application.yml), so a record that waits out the
 * retry budget holds no other record back beyond the poll interval.
 */
@SlipwayListener("deliverer-service")
public class TestsPassedListener implements ConsumerRebalanceListener {

    private final RecordPipeline pipeline;
    private final ImageDelivery delivery;
    private final KafkaDeliveryLedger ledger;

    TestsPassedListener(RecordPipeline pipeline, ImageDelivery delivery, KafkaDeliveryLedger ledger) {
        this.pipeline = pipeline;
        this.delivery = delivery;
        this.ledger = ledger;
    }

    @Topic(Topics.TESTS)
    void receive(ConsumerRecord<byte[], byte[]> record) {
        pipeline.process(record, TestsPassed.class, delivery::deliver, WhenExhausted.deadLetter());
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

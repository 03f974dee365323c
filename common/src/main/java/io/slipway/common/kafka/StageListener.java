package io.slipway.common.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;

/**
 * What a stage consumes and how it turns one record into events; a stage implements it as a Micronaut singleton and
 * the service's stage loops run it, each record inside a Kafka transaction that also commits the record's offset.
 */
public interface StageListener {

    /** The group, topics, workers and batching of this stage. */
    StageSubscription subscription();

    /**
     * One record, inside the worker's open transaction: publish through {@link EventPublisher},
     * {@link DeadLetterPublisher} or {@link CompactedTopicStore} as usual (they join the transaction), or throw
     * {@link RecordPipeline.RecordHandedBack} to leave the record without outcome.
     */
    void receive(ConsumerRecord<byte[], byte[]> record);

    /** The worker was given these partitions. */
    default void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    }

    /** The worker lost these partitions; records of them not yet committed are taken by their new owner. */
    default void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    }

    /**
     * The transaction holding this worker's records since its last commit was aborted (fenced, broker fault, handed
     * back): forget what in-memory state learned from them; the loop has sought back and takes them again.
     */
    default void onAborted() {
    }
}

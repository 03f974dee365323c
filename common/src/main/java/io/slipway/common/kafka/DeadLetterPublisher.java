package io.slipway.common.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Sends a record that cannot be processed to {@code <topic>.dlq}, durably, before its offset is committed. */
public interface DeadLetterPublisher {

    /**
     * Publishes the record as received plus provenance headers; returns only when the dead-letter topic has it.
     *
     * @throws TransientFailure when the dead-letter topic cannot be written; the record must then not be committed
     */
    void publish(ConsumerRecord<byte[], byte[]> record, DeadLetterReason reason, Throwable cause);
}

package io.slipway.common.kafka;

import io.slipway.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes dead letters to {@code <topic>.dlq} with the record's own key, value and headers, plus
 * {@link DeadLetterHeaders} provenance. Inside a stage worker's transaction ({@link StageTransaction}) the letter joins
 * it and commits with the consumed offset; elsewhere it waits for the broker's acknowledgement (acks=all).
 */
public final class KafkaDeadLetterPublisher implements DeadLetterPublisher, AutoCloseable {

    private static final int MAX_MESSAGE_BYTES = 2048;

    private final Producer<byte[], byte[]> producer;
    private final String service;
    private final Duration sendTimeout;
    private final Clock clock;

    public KafkaDeadLetterPublisher(Producer<byte[], byte[]> producer, String service, Duration sendTimeout, Clock clock) {
        this.producer = producer;
        this.service = service;
        this.sendTimeout = sendTimeout;
        this.clock = clock;
    }

    @Override
    public void publish(ConsumerRecord<byte[], byte[]> record, DeadLetterReason reason, Throwable cause) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        put(headers, DeadLetterHeaders.ORIGINAL_TOPIC, record.topic());
        put(headers, DeadLetterHeaders.ORIGINAL_PARTITION, Integer.toString(record.partition()));
        put(headers, DeadLetterHeaders.ORIGINAL_OFFSET, Long.toString(record.offset()));
        put(headers, DeadLetterHeaders.ORIGINAL_TIMESTAMP, Long.toString(record.timestamp()));
        put(headers, DeadLetterHeaders.REASON, reason.name());
        put(headers, DeadLetterHeaders.EXCEPTION_CLASS, cause.getClass().getName());
        put(headers, DeadLetterHeaders.EXCEPTION_MESSAGE, truncate(String.valueOf(cause.getMessage())));
        put(headers, DeadLetterHeaders.SERVICE, service);
        put(headers, DeadLetterHeaders.FAILED_AT, clock.instant().toString());
        String topic = Topics.deadLetter(record.topic());
        ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(topic, null, record.key(), record.value(), headers);
        Optional<Producer<byte[], byte[]>> transaction = StageTransaction.currentProducer();
        if (transaction.isPresent()) {
            transaction.get().send(letter);
            return;
        }
        try {
            producer.send(letter).get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure("interrupted while writing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new TransientFailure("could not write dead letter to " + topic + ": " + e.getMessage(), e);
        }
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String truncate(String message) {
        return message.length() <= MAX_MESSAGE_BYTES ? message : message.substring(0, MAX_MESSAGE_BYTES) + "…";
    }

    /** Flushes and closes the producer; called when the service shuts down. */
    @Override
    public void close() {
        producer.close(sendTimeout);
    }
}

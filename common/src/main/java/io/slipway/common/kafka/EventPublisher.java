package io.slipway.common.kafka;

import io.slipway.events.RunContext;
import io.slipway.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import org.apache.kafka.common.serialization.Serializer;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes Slipway events, keyed by repository full name. Inside a stage worker's transaction
 * ({@link StageTransaction}) an event joins it and commits with the consumed offsets, so it is not waited for;
 * elsewhere it goes through the service's own idempotent producer (acks=all) and {@link #publish} returns once it is
 * durable.
 */
public final class EventPublisher implements AutoCloseable {

    private final Producer<String, SpecificRecord> producer;
    private final Serializer<String> keySerializer;
    private final Serializer<SpecificRecord> valueSerializer;
    private final Duration sendTimeout;

    /**
     * A publisher whose events join a stage worker's open transaction, serialised with {@code keys} and
     * {@code values} (the serializers of {@code producer}).
     */
    public EventPublisher(Producer<String, SpecificRecord> producer, Serializer<String> keys,
                          Serializer<SpecificRecord> values, Duration sendTimeout) {
        this.producer = producer;
        this.keySerializer = keys;
        this.valueSerializer = values;
        this.sendTimeout = sendTimeout;
    }

    /** A publisher that always uses {@code producer}: it cannot join a stage worker's transaction. */
    public EventPublisher(Producer<String, SpecificRecord> producer, Duration sendTimeout) {
        this(producer, null, null, sendTimeout);
    }

    /**
     * Sends an event to the pipeline topic that carries its type (see {@code Topics}), keyed by the repository of
     * the run it carries.
     *
     * @throws TransientFailure when the broker does not acknowledge in time
     */
    public RecordMetadata publish(SpecificRecord event) {
        return publish(Topics.topicOf(event.getClass()), keyOf(event), event);
    }

    /**
     * Sends an event to a topic, keyed by the repository of the run it carries.
     *
     * @throws TransientFailure when the broker does not acknowledge in time
     */
    public RecordMetadata publish(String topic, SpecificRecord event) {
        return publish(topic, keyOf(event), event);
    }

    /** Sends a tombstone for {@code key} (a record with no value), which deletes the key from a compacted topic. */
    public RecordMetadata delete(String topic, String key) {
        return publish(topic, key, null);
    }

    /**
     * Sends an event with an explicit key; a null event is a tombstone. Inside a stage worker's transaction it
     * returns once the record is handed to the transaction's producer, with null: the commit is the acknowledgement.
     */
    public RecordMetadata publish(String topic, String key, SpecificRecord event) {
        Optional<Producer<byte[], byte[]>> transaction = StageTransaction.currentProducer();
        if (transaction.isPresent()) {
            if (valueSerializer == null) {
                throw new IllegalStateException("this publisher has no serializers and cannot join a transaction");
            }
            byte[] value = event == null ? null : valueSerializer.serialize(topic, event);
            transaction.get().send(new ProducerRecord<>(topic, keySerializer.serialize(topic, key), value));
            return null;
        }
        try {
            return producer.send(new ProducerRecord<>(topic, key, event))
                    .get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure("interrupted while publishing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new TransientFailure("could not publish " + (event == null ? "a tombstone" : event.getSchema().getName())
                    + " to " + topic + ": "
                    + cause.getMessage(), cause);
        }
    }

    /**
     * Sends an event through the service's own (non-transactional, idempotent) producer without waiting: the future
     * completes when the broker acknowledged it. For threads that must not block, such as HTTP intake.
     */
    public CompletableFuture<RecordMetadata> publishAsync(String topic, String key, SpecificRecord event) {
        CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, key, event), (metadata, failure) -> {
                if (failure != null) {
                    acknowledged.completeExceptionally(failure);
                } else {
                    acknowledged.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            acknowledged.completeExceptionally(e);
        }
        return acknowledged;
    }

    /** The Kafka key of every pipeline event: the full name of the repository of its run. */
    public static String keyOf(SpecificRecord event) {
        if (event.getSchema().getField("run") == null
                || !(event.get(event.getSchema().getField("run").pos()) instanceof RunContext run)) {
            throw new IllegalArgumentException(event.getSchema().getFullName() + " carries no run context");
        }
        return run.getRepository().getFullName();
    }

    /** Flushes and closes the producer; called when the service shuts down. */
    @Override
    public void close() {
        producer.close(sendTimeout);
    }
}

package io.slipway.common.kafka;

import io.slipway.events.RunContext;
import io.slipway.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes Slipway events, keyed by repository full name, and waits for the broker's acknowledgement
 * (idempotent producer, acks=all): when {@link #publish} returns, the event is durable, so the consumed record's
 * offset may be committed.
 */
public final class EventPublisher implements AutoCloseable {

    private final Producer<String, SpecificRecord> producer;
    private final Duration sendTimeout;

    public EventPublisher(Producer<String, SpecificRecord> producer, Duration sendTimeout) {
        this.producer = producer;
        this.sendTimeout = sendTimeout;
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

    /** Sends an event with an explicit key; a null event is a tombstone. */
    public RecordMetadata publish(String topic, String key, SpecificRecord event) {
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

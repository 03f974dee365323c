package io.slipway.notifier.messaging;

import io.slipway.common.config.SlipwayKafkaProperties;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.kafka.TransientFailure;
import io.slipway.notifier.domain.Delivery;
import io.slipway.schemas.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Queues deliveries on {@code slipway.notifier.deliveries}, keyed by repository (one repository's notifications stay
 * in order for each channel) with the channel in header {@value #CHANNEL_HEADER}; returns once every one is
 * acknowledged by all in-sync replicas, so the consumed event may then be committed.
 */
@Singleton
public class DeliveryQueue implements AutoCloseable {

    /** The header naming the channel a delivery is for. */
    public static final String CHANNEL_HEADER = "slipway.notifier.channel";

    private final Producer<String, String> producer;
    private final Duration sendTimeout;

    DeliveryQueue(KafkaClients clients, SlipwayKafkaProperties settings) {
        this.producer = clients.producer("notifier-service-deliveries", new StringSerializer(), new StringSerializer());
        this.sendTimeout = settings.sendTimeout();
    }

    /** @throws TransientFailure when the broker does not acknowledge in time */
    public void enqueue(List<Delivery> deliveries) {
        List<Future<RecordMetadata>> sent = deliveries.stream().map(d -> {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.NOTIFIER_DELIVERIES,
                    d.notification().repository(), NotifierJson.delivery(d));
            record.headers().add(CHANNEL_HEADER, d.channel().toString().getBytes(StandardCharsets.UTF_8));
            return producer.send(record);
        }).toList();
        try {
            for (Future<RecordMetadata> ack : sent) {
                ack.get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure("interrupted while queueing deliveries", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new TransientFailure("could not queue deliveries on " + Topics.NOTIFIER_DELIVERIES + ": " + e.getMessage(), e);
        }
    }

    @Override
    @PreDestroy
    public void close() {
        producer.close(sendTimeout);
    }
}

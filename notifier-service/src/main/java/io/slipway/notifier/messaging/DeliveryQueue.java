package io.slipway.notifier.messaging;

import io.slipway.common.config.SlipwayKafkaProperties;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.kafka.StageTransaction;
import io.slipway.common.kafka.TransientFailure;
import io.slipway.notifier.domain.Delivery;
import io.slipway.schemas.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Queues deliveries on {@code slipway.notifier.deliveries}, keyed by repository (one repository's notifications stay
 * in order for each channel) with the channel in header {@value #CHANNEL_HEADER}. Inside the outcome listener's Kafka
 * transaction ({@link StageTransaction}) they join it and are not waited for: they commit, or are gone, with the
 * consumed event's offset. Elsewhere it returns once every one is acknowledged by all in-sync replicas.
 */
@Singleton
public class DeliveryQueue implements AutoCloseable {

    /** The header naming the channel a delivery is for. */
    public static final String CHANNEL_HEADER = "slipway.notifier.channel";

    private final Producer<byte[], byte[]> producer;
    private final Duration sendTimeout;

    DeliveryQueue(KafkaClients clients, SlipwayKafkaProperties settings) {
        this.producer = clients.producer("notifier-service-deliveries", new ByteArraySerializer(),
                new ByteArraySerializer());
        this.sendTimeout = settings.sendTimeout();
    }

    /** @throws TransientFailure when, outside a transaction, the broker does not acknowledge in time */
    public void enqueue(List<Delivery> deliveries) {
        Optional<Producer<byte[], byte[]>> transaction = StageTransaction.currentProducer();
        if (transaction.isPresent()) {
            deliveries.forEach(d -> transaction.get().send(record(d)));
            return;
        }
        List<Future<RecordMetadata>> sent = deliveries.stream().map(d -> producer.send(record(d))).toList();
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

    private static ProducerRecord<byte[], byte[]> record(Delivery delivery) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.NOTIFIER_DELIVERIES,
                delivery.notification().repository().getBytes(StandardCharsets.UTF_8),
                NotifierJson.delivery(delivery).getBytes(StandardCharsets.UTF_8));
        record.headers().add(CHANNEL_HEADER, delivery.channel().toString().getBytes(StandardCharsets.UTF_8));
        return record;
    }

    @Override
    @PreDestroy
    public void close() {
        producer.close(sendTimeout);
    }
}

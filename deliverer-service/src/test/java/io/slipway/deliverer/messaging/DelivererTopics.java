package io.slipway.deliverer.messaging;

import io.slipway.common.kafka.TopicTail;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.TestsPassed;
import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.serde.AvroEventDeserializer;
import io.slipway.schemas.serde.AvroEventSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The deliverer's topics as its Kafka tests see them: {@code TestsPassed} sent keyed by repository as the tester
 * sends it, and what came out read back through the schema registry, one repository at a time.
 */
final class DelivererTopics implements AutoCloseable {

    private final SharedDevStack stack;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final AvroEventDeserializer deserializer;

    DelivererTopics(SharedDevStack stack) {
        this.stack = stack;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new StringSerializer(), new AvroEventSerializer(new SchemaRegistryClient(stack.registryUrl())));
        this.deserializer = new AvroEventDeserializer(new SchemaRegistryClient(stack.registryUrl()));
    }

    void send(TestsPassed event) {
        try {
            producer.send(new ProducerRecord<>(Topics.TESTS, event.getRun().getRepository().getFullName(), event))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every event of {@code topic} about {@code repository}, read to the topic's current end. */
    List<SpecificRecord> eventsOf(String topic, String repository) {
        return recordsOf(topic, repository).stream()
                .map(record -> deserializer.deserialize(record.topic(), record.headers(), record.value())).toList();
    }

    /** The records of {@code topic}'s dead-letter topic keyed by {@code repository}, read to its current end. */
    List<ConsumerRecord<byte[], byte[]>> deadLettersOf(String topic, String repository) {
        return recordsOf(Topics.deadLetter(topic), repository);
    }

    private List<ConsumerRecord<byte[], byte[]>> recordsOf(String topic, String repository) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicTail.readToEnd(consumer, topic, Duration.ofSeconds(30), record -> {
                if (repository.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                    records.add(record);
                }
            });
        }
        return records;
    }

    /**
     * The ArtifactPublished events of a repository once the one of run {@code lastRunId} has arrived; runs sent in
     * order to one repository share a partition, so every outcome of an earlier run is among them by then.
     */
    List<ArtifactPublished> publishedUntil(String repository, String lastRunId) {
        List<ArtifactPublished> published = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            published.clear();
            eventsOf(Topics.ARTIFACTS, repository).forEach(e -> published.add((ArtifactPublished) e));
            assertThat(published).extracting(e -> e.getRun().getRunId()).contains(lastRunId);
        });
        return published;
    }

    @Override
    public void close() {
        producer.close();
    }
}

package io.slipway.deployer.messaging;

import io.slipway.common.kafka.TopicTail;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.Commit;
import io.slipway.events.Repository;
import io.slipway.events.RunContext;
import io.slipway.schemas.RunIds;
import io.slipway.schemas.SampleEvents;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The deployer's topics as an independent client sees them: {@code ArtifactPublished} sent as the deliverer sends it,
 * and the records of any topic read back by key through the schema registry.
 */
public final class DeployerTopics implements AutoCloseable {

    private final SharedDevStack stack;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final AvroEventDeserializer deserializer;

    public DeployerTopics(SharedDevStack stack) {
        this.stack = stack;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new StringSerializer(), new AvroEventSerializer(new SchemaRegistryClient(stack.registryUrl())));
        this.deserializer = new AvroEventDeserializer(new SchemaRegistryClient(stack.registryUrl()));
    }

    /** A published artifact of a new commit of {@code repository} on {@code ref}, accepted at {@code sequence}. */
    public static ArtifactPublished published(String repository, String ref, long sequence) {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        String sha = HexFormat.of().formatHex(bytes, 0, 20);
        RunContext sample = SampleEvents.run();
        RunContext run = RunContext.newBuilder(sample)
                .setRunId(RunIds.runId(repository, sha, ref))
                .setRepository(Repository.newBuilder(sample.getRepository()).setFullName(repository).build())
                .setCommit(Commit.newBuilder(sample.getCommit()).setSha(sha).setRef(ref).build())
                .setAcceptedSequence(sequence)
                .build();
        return ArtifactPublished.newBuilder(SampleEvents.artifactPublished())
                .setEventId(UUID.randomUUID().toString())
                .setRun(run)
                .setRepository(repository)
                .setDigest("sha256:" + HexFormat.of().formatHex(bytes))
                .setEmittedAt(Instant.now())
                .build();
    }

    public void send(ArtifactPublished event) throws Exception {
        producer.send(new ProducerRecord<>(Topics.ARTIFACTS, event.getRun().getRepository().getFullName(), event))
                .get(30, TimeUnit.SECONDS);
    }

    /** The values of {@code topic} whose key is {@code key}, in offset order, read to the topic's current end. */
    public List<SpecificRecord> valuesOf(String topic, String key) {
        List<SpecificRecord> values = new ArrayList<>();
        read(topic, record -> {
            if (record.key() != null && key.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                values.add(deserializer.deserialize(record.topic(), record.headers(), record.value()));
            }
        });
        return values;
    }

    /** The keys of every record of {@code topic} (whatever its value), read to the topic's current end. */
    public List<String> keysOf(String topic) {
        List<String> keys = new ArrayList<>();
        read(topic, record -> {
            if (record.key() != null) {
                keys.add(new String(record.key(), StandardCharsets.UTF_8));
            }
        });
        return keys;
    }

    private void read(String topic, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicTail.readToEnd(consumer, topic, Duration.ofSeconds(30), each::accept);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}

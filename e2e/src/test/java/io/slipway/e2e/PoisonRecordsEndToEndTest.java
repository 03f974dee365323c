package io.slipway.e2e;

import io.slipway.common.kafka.DeadLetterHeaders;
import io.slipway.schemas.PoisonPayloads;
import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.SchemaRegistryClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Poison under {@code ./slipway up}: bytes that are no Slipway event, and the 10-byte record that once ended
 * tester-service's consumer thread (a valid header, then a string declaring 2,000,000,000 bytes), written to every
 * topic a stage consumes. Each consumer puts each of them in the topic's {@code .dlq} with its provenance, every
 * service stays healthy, {@code ./slipway dlq list} counts them, and the next push on the same partition is published.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PoisonRecordsEndToEndTest {

    private static final Duration DEAD_LETTER_TIMEOUT = Duration.ofMinutes(2);

    /** Every topic a stage consumes, and the services that consume it (and so dead-letter the record). */
    private static final Map<String, Set<String>> CONSUMERS = new LinkedHashMap<>();

    static {
        CONSUMERS.put(Topics.TRIGGER_INTAKE, Set.of("trigger-service"));
        CONSUMERS.put(Topics.COMMITS, Set.of("builder-service", "notifier-service"));
        CONSUMERS.put(Topics.IMAGES, Set.of("tester-service"));
        CONSUMERS.put(Topics.TESTS, Set.of("deliverer-service", "notifier-service"));
        CONSUMERS.put(Topics.ARTIFACTS, Set.of("notifier-service", "deployer-service"));
        CONSUMERS.put(Topics.DEPLOYMENTS, Set.of("notifier-service"));
        CONSUMERS.put(Topics.FAILURES, Set.of("notifier-service"));
    }

    private SlipwayStack slipway;

    @BeforeAll
    void startSlipway() {
        slipway = SlipwayStack.start();
    }

    @AfterAll
    void stopSlipway() {
        if (slipway != null) {
            slipway.close();
        }
    }

    @Test
    void poisonRecordsOnEveryInputTopicAreDeadLetteredWithTheirProvenanceAndTheNextRunIsPublished() throws Exception {
        SampleRepository app = slipway.repository("e2e/poisoned", false);
        slipway.events().awaitPublished(app.push().runId());
        SchemaRegistryClient registry = new SchemaRegistryClient(slipway.registryUrl());
        int anyEvent = registry.latest(Topics.valueSubject(Topics.COMMITS)).id();
        Map<String, List<byte[]>> poison = new LinkedHashMap<>();
        for (String topic : CONSUMERS.keySet()) {
            // The topic's current schema; slipway.failures has none before a run fails: any event schema will do.
            int schemaId = registry.subjects().contains(Topics.valueSubject(topic))
                    ? registry.latest(Topics.valueSubject(topic)).id() : anyEvent;
            poison.put(topic, List.of(("not a Slipway event on " + topic).getBytes(StandardCharsets.UTF_8),
                    PoisonPayloads.hugeString(schemaId)));
        }

        Map<String, Object> producerConfig = new HashMap<>(slipway.kafkaClientConfig("admin"));
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (Map.Entry<String, List<byte[]>> entry : poison.entrySet()) {
                for (byte[] value : entry.getValue()) {
                    // Keyed by the repository, so the poison sits on the partition of the run that follows it.
                    producer.send(new ProducerRecord<>(entry.getKey(), app.name().getBytes(StandardCharsets.UTF_8),
                            value)).get(30, TimeUnit.SECONDS);
                }
            }
        }

        for (Map.Entry<String, Set<String>> entry : CONSUMERS.entrySet()) {
            String topic = entry.getKey();
            for (byte[] value : poison.get(topic)) {
                await("dead letters of " + new String(value, StandardCharsets.ISO_8859_1) + " on " + topic)
                        .atMost(DEAD_LETTER_TIMEOUT).pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> assertThat(deadLetters(topic))
                                .filteredOn(r -> Arrays.equals(r.value(), value))
                                .extracting(r -> header(r, DeadLetterHeaders.SERVICE))
                                .containsExactlyInAnyOrderElementsOf(entry.getValue()));
            }
            for (ConsumerRecord<byte[], byte[]> letter : deadLetters(topic)) {
                assertThat(letter.key()).isEqualTo(app.name().getBytes(StandardCharsets.UTF_8));
                assertThat(header(letter, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(topic);
                assertThat(header(letter, DeadLetterHeaders.ORIGINAL_OFFSET)).isNotBlank();
                assertThat(header(letter, DeadLetterHeaders.REASON)).isEqualTo("DESERIALIZATION");
            }
            assertThat(deadLetters(topic)).filteredOn(r -> r.value().length == 10)
                    .extracting(r -> header(r, DeadLetterHeaders.EXCEPTION_MESSAGE))
                    .allSatisfy(message -> assertThat(message).contains("String length 2000000000 exceeds maximum"));
        }
        assertThat(slipway.command("status")).doesNotContain("unhealthy", "stopped");
        assertThat(slipway.command("dlq", "list")).containsPattern("slipway\\.images\\.dlq +2\\n")
                .containsPattern("slipway\\.commits\\.dlq +4\\n").containsPattern("slipway\\.artifacts\\.dlq +4\\n")
                .containsPattern("slipway\\.deployments\\.dlq +2\\n");

        app.commit("After the poison", "www/index.html", page -> page + "<!-- after the poison -->\n");
        slipway.events().awaitPublished(app.push().runId());
        assertThat(slipway.command("status")).doesNotContain("unhealthy", "stopped");
    }

    private List<ConsumerRecord<byte[], byte[]>> deadLetters(String topic) {
        Map<String, Object> config = new HashMap<>(slipway.kafkaClientConfig("admin"));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.deadLetter(topic), Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

package io.slipway.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.devstack.support.PythonScripts;
import io.slipway.devstack.testing.SharedDevStack;
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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every Slipway event, written by Slipway's serializer, travels through the real broker and the embedded
 * registry and comes back equal; and Apache Avro's Python reader, fetching the writer schema by its id with
 * Confluent's Python client, decodes the same records independently.
 */
class SlipwayEventsRoundTripTest {

    @Test
    void everyEventRoundTripsThroughBrokerAndRegistryAndDecodesInPython() throws Exception {
        SharedDevStack stack = SharedDevStack.get();
        SchemaRegistryClient registry = new SchemaRegistryClient(stack.registryUrl());
        for (SpecificRecord event : SampleEvents.all()) {
            String topic = stack.uniqueTopic(event.getSchema().getName());
            stack.createTopic(topic, 1);
            try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new AvroEventSerializer(registry))) {
                producer.send(new ProducerRecord<>(topic, SampleEvents.REPOSITORY, event)).get();
            }

            assertThat(consumeOne(stack, registry, topic)).isEqualTo(event);

            PythonScripts.Result python = PythonScripts.runScript("decode_event.py", stack.bootstrapServers(),
                    stack.registryUrl(), topic, "1");
            assertThat(python.exitCode()).as("decode_event.py: %s", python.stderr()).isZero();
            JsonNode line = new ObjectMapper().readTree(python.stdout().get(0));
            assertThat(line.get("key").asText()).isEqualTo(SampleEvents.REPOSITORY);
            assertThat(line.get("schema_id").asInt())
                    .isEqualTo(registry.latest(Topics.valueSubject(topic)).id());
            assertThat(line.at("/record/eventId").asText())
                    .isEqualTo(event.get(event.getSchema().getField("eventId").pos()));
            assertThat(line.at("/record/run/runId").asText()).isEqualTo(SampleEvents.run().getRunId());
            assertThat(line.at("/record/run/commit/sha").asText()).isEqualTo(SampleEvents.SHA);
        }
    }

    private static SpecificRecord consumeOne(SharedDevStack stack, SchemaRegistryClient registry, String topic) {
        List<ConsumerRecord<String, SpecificRecord>> records = new ArrayList<>();
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "round-trip-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new AvroEventDeserializer(registry))) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return !records.isEmpty();
            });
        }
        return records.get(0).value();
    }
}

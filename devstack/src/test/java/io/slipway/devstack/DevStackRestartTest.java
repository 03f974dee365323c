package io.slipway.devstack;

import io.slipway.devstack.support.RegistryHttp;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DevStackRestartTest {

    private static final String STRING_SCHEMA = "{\"type\":\"string\"}";
    private static final String RECORD_SCHEMA = "{\"type\":\"record\",\"name\":\"Order\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";
    private static final String LATER_SCHEMA = "{\"type\":\"record\",\"name\":\"Shipment\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}";

    @TempDir
    Path dir;

    @Test
    void restartOnTheSameDirectoryKeepsTopicsUnconsumedRecordsAndSchemaIdsAndNeverReusesAnId() throws Exception {
        int kafkaPort = LoopbackPorts.free();
        int controllerPort = LoopbackPorts.free();
        int registryPort = LoopbackPorts.free();
        int stringId;
        int recordId;
        try (DevStack stack = DevStack.start(dir, kafkaPort, controllerPort, registryPort)) {
            stack.createTopic("orders", 3);
            RegistryHttp registry = new RegistryHttp(stack.registryUrl());
            stringId = registry.register("orders-key", STRING_SCHEMA);
            recordId = registry.register("orders-value", RECORD_SCHEMA);
            registry.put("/config/orders-value", "{\"compatibility\":\"FULL\"}");
            try (KafkaProducer<String, String> producer = producer(stack)) {
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>("orders", "order-" + i, "payload-" + i)).get();
                }
            }
        }

        try (DevStack restarted = DevStack.start(dir, kafkaPort, controllerPort, registryPort)) {
            RegistryHttp registry = new RegistryHttp(restarted.registryUrl());
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, restarted.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).contains("orders");
            }
            assertThat(registry.get("/subjects/orders-key/versions/latest").body().get("id").asInt()).isEqualTo(stringId);
            assertThat(registry.get("/subjects/orders-value/versions/1").body().get("id").asInt()).isEqualTo(recordId);
            assertThat(registry.get("/schemas/ids/" + recordId).body().get("schema").asText()).contains("\"Order\"");
            assertThat(registry.get("/config/orders-value").body().get("compatibilityLevel").asText()).isEqualTo("FULL");
            assertThat(readAll(restarted, "orders", 5)).extracting(ConsumerRecord::value)
                    .containsExactlyInAnyOrder("payload-0", "payload-1", "payload-2", "payload-3", "payload-4");

            assertThat(registry.register("shipments-value", LATER_SCHEMA)).isEqualTo(Math.max(stringId, recordId) + 1);
        }
    }

    private static KafkaProducer<String, String> producer(DevStack stack) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    private static List<ConsumerRecord<String, String>> readAll(DevStack stack, String topic, int expected) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "restart-check",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
            });
        }
        return records;
    }
}

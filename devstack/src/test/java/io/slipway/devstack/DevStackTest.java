package io.slipway.devstack;

import io.slipway.devstack.testing.SharedDevStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DevStackTest {

    @TempDir
    Path dir;

    @Test
    void refusesATakenPortNamingThePortAndTheVariableThatMovesIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> DevStack.start(dir, LoopbackPorts.free(), LoopbackPorts.free(), port))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessageContaining("Port " + port + " (schema registry) is already in use")
                    .hasMessageContaining(DevStack.REGISTRY_PORT_ENV);
            assertThatThrownBy(() -> DevStack.start(dir, port, LoopbackPorts.free(), 0))
                    .hasMessageContaining(DevStack.KAFKA_PORT_ENV);
        }
    }

    @Test
    void brokerDoesNotCreateTopicsOnFirstUse() {
        SharedDevStack stack = SharedDevStack.get();
        String topic = stack.uniqueTopic("never-created");
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 1500);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "k", "v")).get())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TimeoutException.class);
        }
        assertThat(topicNames(stack)).doesNotContain(topic);
    }

    @Test
    void createTopicMakesATopicWithTheRequestedPartitionsReadyForUse() throws Exception {
        SharedDevStack stack = SharedDevStack.get();
        String topic = stack.uniqueTopic("created");

        stack.createTopic(topic, 3);
        stack.createTopic(topic, 3);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(3);
        }
        assertThat(stack.uniqueTopic("created")).isNotEqualTo(topic).startsWith("created-");
    }

    private static Set<String> topicNames(SharedDevStack stack) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            return admin.listTopics().names().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

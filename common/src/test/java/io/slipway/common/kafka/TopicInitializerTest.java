package io.slipway.common.kafka;

import io.slipway.devstack.DevStack;
import io.slipway.devstack.KafkaCredentials;
import io.slipway.devstack.LoopbackPorts;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Topic creation on the real broker: a topic named compacted is created (or made) compacted so a service's state is
 * kept forever; its dead-letter topic and every other topic keep the broker's default, delete.
 */
class TopicInitializerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final SharedDevStack stack = SharedDevStack.get();
    private final Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            stack.bootstrapServers()));
    private final TopicInitializer initializer = new TopicInitializer(admin, 1, (short) 1);

    @AfterEach
    void close() {
        admin.close();
    }

    @Test
    void createsACompactedTopicCompactedAndItsDeadLetterTopicAndOtherTopicsNot() throws Exception {
        String state = stack.uniqueTopic("test.state");
        String events = stack.uniqueTopic("test.events");

        initializer.ensureTopics(List.of(state, events), Set.of(state), DEADLINE);

        assertThat(cleanupPolicies(state, Topics.deadLetter(state), events, Topics.deadLetter(events))).containsExactly(
                TopicConfig.CLEANUP_POLICY_COMPACT, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.CLEANUP_POLICY_DELETE, TopicConfig.CLEANUP_POLICY_DELETE);
    }

    @Test
    void aBrokerThatRefusesTheCreationIsNamedAtOnceWithWhatToDo(@TempDir Path dir) {
        try (DevStack secured = DevStack.start(dir.resolve("devstack"), LoopbackPorts.free(),
                LoopbackPorts.free(), 0, null, KafkaCredentials.loadOrCreate(dir.resolve("credentials")), 1);
             Admin builder = Admin.create(secured.clientSettings("builder"))) {
            long started = System.nanoTime();

            assertThatThrownBy(() -> new TopicInitializer(builder, 1, (short) 1)
                    .ensureTopics(List.of("test.refused"), Set.of(), DEADLINE))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Kafka refused to create topics [test.refused]")
                    .hasMessageContaining("SLIPWAY_KAFKA_CREATE_TOPICS=false");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(DEADLINE.dividedBy(2));
        }
    }

    @Test
    void makesAnExistingTopicCompactedWhenItIsNamedCompacted() throws Exception {
        String state = stack.uniqueTopic("test.state");
        stack.createTopic(state, 1);
        assertThat(cleanupPolicies(state)).containsExactly(TopicConfig.CLEANUP_POLICY_DELETE);

        initializer.ensureTopics(List.of(state), Set.of(state), DEADLINE);

        // The controller has committed the change when the call returns; the broker that answers describeConfigs
        // applies it from the metadata log a moment later, so its view is asserted once it has caught up.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cleanupPolicies(state,
                Topics.deadLetter(state))).containsExactly(TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.CLEANUP_POLICY_DELETE));
    }

    private List<String> cleanupPolicies(String... topics) throws Exception {
        List<ConfigResource> resources = Stream.of(topics)
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
        var configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
        return resources.stream().map(r -> configs.get(r).get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).toList();
    }
}

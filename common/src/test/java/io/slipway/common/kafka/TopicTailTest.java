package io.slipway.common.kafka;

import io.slipway.devstack.testing.SharedDevStack;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Reading topics to their end and following them on the real broker, with a consumer of no group. */
class TopicTailTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final SharedDevStack stack = SharedDevStack.get();
    private final KafkaClients clients = KafkaClients.of(Map.of("bootstrap.servers", stack.bootstrapServers()));
    private final KafkaConsumer<String, String> consumer = clients.consumer("test-tail", new StringDeserializer(),
            new StringDeserializer());
    private final Producer<String, String> producer = clients.producer("test-tail-writer", new StringSerializer(),
            new StringSerializer());

    @AfterEach
    void close() {
        consumer.close();
        producer.close();
    }

    @Test
    void handsOverEveryRecordOfEveryPartitionOnceInOffsetOrderPerPartition() throws Exception {
        String topic = stack.uniqueTopic("test.scan");
        stack.createTopic(topic, 2);
        for (int i = 0; i < 5; i++) {
            send(topic, 0, "p0-" + i);
            send(topic, 1, "p1-" + i);
        }

        List<String> p0 = new ArrayList<>();
        List<String> p1 = new ArrayList<>();
        TopicTail.readToEnd(consumer, topic, TIMEOUT, r -> (r.partition() == 0 ? p0 : p1).add(r.value()));

        assertThat(p0).containsExactly("p0-0", "p0-1", "p0-2", "p0-3", "p0-4");
        assertThat(p1).containsExactly("p1-0", "p1-1", "p1-2", "p1-3", "p1-4");
    }

    @Test
    void handsOverNothingForAnEmptyTopic() {
        String topic = stack.uniqueTopic("test.scan-empty");
        stack.createTopic(topic, 3);
        List<String> seen = new ArrayList<>();

        TopicTail.readToEnd(consumer, topic, TIMEOUT, r -> seen.add(r.value()));

        assertThat(seen).isEmpty();
    }

    @Test
    void aLaterCatchUpReadsOnlyWhatWasWrittenSinceAndPollFollowsTheTopics() throws Exception {
        String first = stack.uniqueTopic("test.tail-a");
        String second = stack.uniqueTopic("test.tail-b");
        stack.createTopic(first, 2);
        stack.createTopic(second, 1);
        send(first, 0, "a-1");
        send(second, 0, "b-1");
        TopicTail<String, String> tail = new TopicTail<>(consumer, List.of(first, second));
        List<String> seen = new ArrayList<>();

        tail.catchUp(TIMEOUT, r -> seen.add(r.value()));
        assertThat(seen).containsExactlyInAnyOrder("a-1", "b-1");
        assertThat(tail.atEnd(TIMEOUT)).isTrue();

        send(first, 1, "a-2");
        assertThat(tail.atEnd(TIMEOUT)).isFalse();
        tail.catchUp(TIMEOUT, r -> seen.add(r.value()));
        assertThat(seen).containsExactlyInAnyOrder("a-1", "b-1", "a-2");

        send(second, 0, "b-2");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            tail.poll(Duration.ofMillis(100), r -> seen.add(r.value()));
            assertThat(seen).containsExactlyInAnyOrder("a-1", "b-1", "a-2", "b-2");
        });
    }

    @Test
    void aTopicThatDoesNotExistIsNamedWhenTheTimeIsUp() {
        String missing = stack.uniqueTopic("test.tail-missing");
        TopicTail<String, String> tail = new TopicTail<>(consumer, List.of(missing));

        assertThatThrownBy(() -> tail.catchUp(Duration.ofSeconds(2), r -> { }))
                .isInstanceOf(TimeoutException.class).hasMessage("topic " + missing + " does not exist or Kafka cannot be reached");
        assertThatThrownBy(() -> tail.poll(Duration.ofMillis(10), r -> { }))
                .isInstanceOf(IllegalStateException.class);
    }

    private void send(String topic, int partition, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, partition, "k", value)).get(30, TimeUnit.SECONDS);
    }
}

package io.slipway.common.kafka;

import io.slipway.devstack.testing.SharedDevStack;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading a topic to its end on the real broker: every record of every partition once, in offset order per partition. */
class TopicScanTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final SharedDevStack stack = SharedDevStack.get();

    @Test
    void handsOverEveryRecordOfEveryPartitionOnceInOffsetOrderPerPartition() throws Exception {
        String topic = stack.uniqueTopic("test.scan");
        stack.createTopic(topic, 2);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k", "p0-" + i)).get(30, TimeUnit.SECONDS);
                producer.send(new ProducerRecord<>(topic, 1, "k", "p1-" + i)).get(30, TimeUnit.SECONDS);
            }
        }

        List<String> p0 = new ArrayList<>();
        List<String> p1 = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            TopicScan.readToEnd(consumer, topic, TIMEOUT, r -> (r.partition() == 0 ? p0 : p1).add(r.value()));
        }

        assertThat(p0).containsExactly("p0-0", "p0-1", "p0-2", "p0-3", "p0-4");
        assertThat(p1).containsExactly("p1-0", "p1-1", "p1-2", "p1-3", "p1-4");
    }

    @Test
    void handsOverNothingForAnEmptyTopic() {
        String topic = stack.uniqueTopic("test.scan-empty");
        stack.createTopic(topic, 3);
        List<String> seen = new ArrayList<>();

        try (KafkaConsumer<String, String> consumer = consumer()) {
            TopicScan.readToEnd(consumer, topic, TIMEOUT, r -> seen.add(r.value()));
        }

        assertThat(seen).isEmpty();
    }

    private KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer());
    }
}

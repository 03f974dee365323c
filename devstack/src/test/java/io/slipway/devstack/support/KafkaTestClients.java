package io.slipway.devstack.support;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;

/** String producers and consumers for the ACL tests, with short timeouts so a refusal shows within seconds. */
public final class KafkaTestClients {

    private KafkaTestClients() {
    }

    /** A producer with {@code settings} (bootstrap servers and login) that gives up after 10 s. */
    public static KafkaProducer<String, String> producer(Map<String, Object> settings) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /** What {@code topic} holds from its start, read in {@code group} until at least one record came (30 s at most). */
    public static List<String> readSome(Map<String, Object> settings, String group, String topic) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        return readSome(config, consumer -> consumer.subscribe(List.of(topic)));
    }

    /**
     * What partition 0 of {@code topic} holds from its start, read without a group (as the schema registry reads its
     * log), so only the topic's ACLs decide; until at least one record came (30 s at most).
     */
    public static List<String> readSomeWithoutGroup(Map<String, Object> settings, String topic) {
        return readSome(new HashMap<>(settings), consumer -> consumer.assign(List.of(new TopicPartition(topic, 0))));
    }

    private static List<String> readSome(Map<String, Object> config, Consumer<KafkaConsumer<String, String>> source) {
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            source.accept(consumer);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                return !values.isEmpty();
            });
        }
        return List.copyOf(values);
    }
}

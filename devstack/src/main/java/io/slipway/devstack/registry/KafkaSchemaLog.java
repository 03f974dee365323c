package io.slipway.devstack.registry;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * The registry's log kept, as Confluent does, in a compacted single-partition Kafka topic (normally {@code _schemas})
 * that is created when absent. Appends are synchronous with {@code acks=all}; this process is the only writer.
 */
final class KafkaSchemaLog implements SchemaLog {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, Object> kafkaClient;
    private final String bootstrapServers;
    private final TopicPartition partition;
    private final KafkaProducer<String, String> producer;

    /** {@code kafkaClient}: bootstrap servers and security settings, shared by the log's producer, consumer and admin. */
    KafkaSchemaLog(Map<String, Object> kafkaClient, String topic) {
        this.kafkaClient = kafkaClient;
        this.bootstrapServers = String.valueOf(kafkaClient.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
        this.partition = new TopicPartition(topic, 0);
        createTopicIfAbsent();
        Properties p = new Properties();
        p.putAll(kafkaClient);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "slipway-schema-registry-writer");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() / 2);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    @Override
    public void replay(BiConsumer<String, String> apply) {
        Properties p = new Properties();
        p.putAll(kafkaClient);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "slipway-schema-registry-reader");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (consumer.position(partition) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + partition + " up to offset " + end + " within "
                            + TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null) {
                        apply.accept(record.key(), record.value());
                    }
                }
            }
        }
    }

    @Override
    public void append(String key, String value) {
        try {
            producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), key, value))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryException.storeError("interrupted while writing to " + partition.topic(), e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw RegistryException.storeError("cannot write to " + partition.topic() + ": " + cause.getMessage(), cause);
        }
    }

    @Override
    public void close() {
        producer.close(TIMEOUT);
    }

    private void createTopicIfAbsent() {
        Properties p = new Properties();
        p.putAll(kafkaClient);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        try (Admin admin = Admin.create(p)) {
            NewTopic topic = new NewTopic(partition.topic(), 1, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(List.of(topic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create the schema topic " + partition.topic() + " on "
                        + bootstrapServers + ": " + e.getCause().getMessage(), e);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out creating the schema topic " + partition.topic() + " on " + bootstrapServers, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating " + partition.topic(), e);
        }
    }
}

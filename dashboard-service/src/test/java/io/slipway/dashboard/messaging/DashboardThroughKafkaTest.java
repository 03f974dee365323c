package io.slipway.dashboard.messaging;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.slipway.common.kafka.DeadLetterHeaders;
import io.slipway.common.liveness.Heartbeats;
import io.slipway.common.testing.SlipwayTestProperties;
import io.slipway.dashboard.domain.RunHistory;
import io.slipway.dashboard.domain.RunStatus;
import io.slipway.dashboard.store.TestRuns;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.serde.AvroEventSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * dashboard-service through a real broker and schema registry on its embedded database file: it catches up from the
 * topics, dead-letters garbage on every topic it reads and goes on, and after a restart applies what arrived while it
 * was down, once, and nothing it had applied again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardThroughKafkaTest {

    @TempDir
    static Path dir;
    private final SharedDevStack stack = SharedDevStack.get();
    private KafkaProducer<String, SpecificRecord> events;
    private KafkaProducer<byte[], byte[]> raw;

    @BeforeAll
    void producers() {
        for (String topic : Topics.allTopics()) {
            stack.createTopic(topic, 1);
            stack.createTopic(Topics.deadLetter(topic), 1);
        }
        Map<String, Object> settings = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        events = new KafkaProducer<>(settings, new StringSerializer(),
                new AvroEventSerializer(new SchemaRegistryClient(stack.registryUrl())));
        raw = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    void closeProducers() {
        events.close();
        raw.close();
    }

    private ApplicationContext start() {
        Map<String, Object> config = new HashMap<>(SlipwayTestProperties.against(stack));
        config.put("datasources.default.url", "jdbc:h2:file:" + dir.resolve("db/slipway")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        return ApplicationContext.run(EmbeddedServer.class, config).getApplicationContext();
    }

    private void send(String topic, String key, SpecificRecord event) throws Exception {
        events.send(new ProducerRecord<>(topic, key, event)).get(30, TimeUnit.SECONDS);
    }

    private void sendRun(TestRuns run, SpecificRecord event) throws Exception {
        send(Topics.topicOf(event.getClass()), run.repository(), event);
    }

    @Test
    void catchesUpDeadLettersGarbageAndLosesNothingAcrossARestart() throws Exception {
        String repository = "kafka/app-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        TestRuns first = TestRuns.in(repository, "refs/heads/main", now);
        TestRuns second = TestRuns.in(repository, "refs/heads/main", now.plusSeconds(1));
        TestRuns third = TestRuns.in(repository, "refs/heads/main", now.plusSeconds(2));
        TestRuns fourth = TestRuns.in(repository, "refs/heads/main", now.plusSeconds(3));
        var secondCommit = second.commitReceived();

        sendRun(first, first.commitReceived());
        sendRun(first, first.imageBuilt());
        sendRun(second, secondCommit);
        List<String> topics = ProjectionConsumer.TOPICS;
        Map<String, Long> garbageOffsets = new HashMap<>();
        for (String topic : topics) {
            RecordMetadata sent = raw.send(new ProducerRecord<>(topic, (repository + "|g").getBytes(StandardCharsets.UTF_8),
                    "0123456789".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
            garbageOffsets.put(topic, sent.offset());
        }
        sendRun(third, third.commitReceived());
        send(Topics.LOGS, first.runId(), first.chunk(0, "Step 1/3 : FROM scratch", false));
        send(Topics.REPORTS, first.runId(), first.report());
        send(Topics.DEPLOYER_STATE, "staging|" + repository, first.environmentState("staging"));

        try (ApplicationContext service = start()) {
            RunHistory history = service.getBean(RunHistory.class);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(history.run(third.runId(), 1)).isPresent();
                assertThat(history.run(first.runId(), 1).orElseThrow().summary().stage()).isEqualTo("TEST");
                assertThat(history.log(first.runId(), 1, 0).text()).contains("FROM scratch");
                assertThat(history.run(first.runId(), 1).orElseThrow().report()).isNotNull();
                assertThat(history.environments()).anySatisfy(view ->
                        assertThat(view.repository()).isEqualTo(repository));
            });
            DataSource db = service.getBean(DataSource.class);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (String topic : topics) {
                    assertThat(storedOffset(db, topic)).as(topic).isGreaterThan(garbageOffsets.get(topic));
                }
            });
            for (String topic : topics) {
                assertThat(deadLetters(topic, repository + "|g")).as(topic).singleElement().satisfies(letter ->
                        assertThat(header(letter, DeadLetterHeaders.ORIGINAL_OFFSET))
                                .isEqualTo(Long.toString(garbageOffsets.get(topic))));
            }
            assertThat(service.getBean(Heartbeats.class).alive()).isTrue();
        }

        sendRun(first, first.testsPassed());
        sendRun(first, first.artifactPublished());
        sendRun(second, secondCommit);
        sendRun(fourth, fourth.commitReceived());

        Map<String, Long> ends = endOffsets(topics);
        try (ApplicationContext service = start()) {
            RunHistory history = service.getBean(RunHistory.class);
            DataSource db = service.getBean(DataSource.class);
            // Once every topic is read to its end, a garbage record read again would be in its dead-letter topic.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (String topic : topics) {
                    assertThat(storedOffset(db, topic)).as(topic).isGreaterThanOrEqualTo(ends.get(topic));
                }
                assertThat(history.run(fourth.runId(), 1)).isPresent();
                assertThat(history.run(first.runId(), 1).orElseThrow().summary().status())
                        .isEqualTo(RunStatus.SUCCEEDED);
            });
            assertThat(count(db, "SELECT COUNT(*) FROM runs WHERE repository = ?", repository)).isEqualTo(4);
            assertThat(count(db, "SELECT COUNT(*) FROM run_events e JOIN runs r ON r.run_id = e.run_id "
                    + "AND r.attempt = e.attempt WHERE r.repository = ?", repository)).isEqualTo(7);
            assertThat(count(db, "SELECT COUNT(*) FROM log_chunks WHERE run_id = ?", first.runId())).isEqualTo(1);
            assertThat(count(db, "SELECT COUNT(*) FROM test_cases WHERE run_id = ?", first.runId())).isEqualTo(2);
            for (String topic : topics) {
                assertThat(deadLetters(topic, repository + "|g")).as("dead letters of " + topic).hasSize(1);
            }
        }
    }

    private static long storedOffset(DataSource db, String topic) throws SQLException {
        return count(db, "SELECT COALESCE(MAX(next_offset), -1) FROM consumed_offsets WHERE topic = ?", topic);
    }

    private static long count(DataSource db, String sql, String parameter) throws SQLException {
        try (Connection connection = db.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, parameter);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private Map<String, Long> endOffsets(List<String> topics) {
        Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            Map<String, Long> ends = new HashMap<>();
            for (String topic : topics) {
                ends.put(topic, consumer.endOffsets(List.of(new TopicPartition(topic, 0))).values().iterator().next());
            }
            return ends;
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> deadLetters(String topic, String key) {
        Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.deadLetter(topic)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (record.key() != null && key.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                        letters.add(record);
                    }
                });
            }
            return letters;
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

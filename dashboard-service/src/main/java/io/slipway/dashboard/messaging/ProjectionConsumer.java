package io.slipway.dashboard.messaging;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.slipway.common.config.SlipwayKafkaProperties;
import io.slipway.common.kafka.DeadLetterPublisher;
import io.slipway.common.kafka.DeadLetterReason;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.liveness.Heartbeat;
import io.slipway.common.liveness.Heartbeats;
import io.slipway.common.messaging.TopicsAtStartup;
import io.slipway.dashboard.store.JdbcProjection;
import io.slipway.dashboard.store.ProjectedRecord;
import io.slipway.events.EnvironmentState;
import io.slipway.schemas.Topics;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Feeds the read model from Kafka on one thread, with a consumer of no group: it is assigned every partition of the
 * pipeline topics, the run streams and the deployer's state, and seeks each to the offset stored with the rows
 * ({@code consumed_offsets}), else to the beginning. Each poll is applied in one transaction with its offsets, so the
 * dashboard catches up on start and applies every record exactly once across restarts. A record that cannot be decoded
 * or applied goes to {@code <topic>.dlq} and its offset is stored all the same; a database or dead-letter fault rolls
 * the poll back and it is read again after a pause. The thread beats a {@link Heartbeat}: {@code /health} is DOWN
 * when it died or hangs. {@code slipway.dashboard.projection.enabled: false} leaves it out: an instance that only
 * serves pages from a PostgreSQL database another instance fills.
 */
@Context
@Requires(property = "slipway.dashboard.projection.enabled", notEquals = "false")
public class ProjectionConsumer {

    /** Every topic the dashboard reads. */
    public static final List<String> TOPICS = Stream.of(Topics.pipelineTopics().stream(),
            Stream.of(Topics.LOGS, Topics.REPORTS, Topics.DEPLOYER_STATE)).flatMap(s -> s).toList();
    private static final Logger LOG = LoggerFactory.getLogger(ProjectionConsumer.class);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(5);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<SpecificRecord> deserializer;
    private final JdbcProjection projection;
    private final DeadLetterPublisher deadLetters;
    private final Duration startupTimeout;
    private final Heartbeat heartbeat;
    private final Thread thread;
    private volatile boolean running = true;

    ProjectionConsumer(KafkaClients clients, @Named("slipway-events") Deserializer<SpecificRecord> deserializer,
                       JdbcProjection projection, DeadLetterPublisher deadLetters, SlipwayKafkaProperties settings,
                       Heartbeats heartbeats, @Nullable TopicsAtStartup topicsCreated) {
        // The broker answers a fetch as soon as a record arrives, so the service's long fetch wait costs no lag.
        this.consumer = clients.consumer("dashboard-service-projection", null,
                Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.deserializer = deserializer;
        this.projection = projection;
        this.deadLetters = deadLetters;
        this.startupTimeout = settings.startupTimeout();
        // Finding the topics may take the whole start-up timeout before the loop beats again.
        this.heartbeat = heartbeats.register("dashboard projection", startupTimeout.multipliedBy(2).plus(MAX_PAUSE));
        this.thread = new Thread(heartbeat.guard(this::run), "dashboard-projection");
        this.thread.setDaemon(true);
    }

    @PostConstruct
    void start() {
        thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = partitions();
            consumer.assign(partitions);
            reposition(partitions);
            Duration pause = Duration.ofMillis(100);
            while (running) {
                heartbeat.beat();
                ConsumerRecords<byte[], byte[]> records = consumer.poll(KafkaClients.FOLLOWER_POLL);
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    apply(records);
                    pause = Duration.ofMillis(100);
                } catch (SQLException | RuntimeException e) {
                    LOG.warn("Could not apply {} records to the dashboard database; reading them again in {} ms: {}",
                            records.count(), pause.toMillis(), e.toString());
                    heartbeat.error(e);
                    TimeUnit.MILLISECONDS.sleep(pause.toMillis());
                    pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
                    reposition(partitions);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ZERO);
        }
    }

    private void apply(ConsumerRecords<byte[], byte[]> records) throws SQLException {
        List<ProjectedRecord> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            batch.add(decode(record));
        }
        projection.apply(batch, (failed, cause) -> {
            LOG.warn("Could not apply {}-{}@{} to the dashboard database; dead-lettered: {}", failed.topic(),
                    failed.partition(), failed.offset(), cause.toString());
            deadLetters.publish(find(records, failed), DeadLetterReason.PROCESSING, cause);
        });
    }

    private ProjectedRecord decode(ConsumerRecord<byte[], byte[]> record) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            return ProjectedRecord.of(record.topic(), record.partition(), record.offset(), key, null);
        }
        SpecificRecord event;
        try {
            event = deserializer.deserialize(record.topic(), record.headers(), record.value());
        } catch (ThreadDeath e) {
            throw e;
        } catch (Throwable e) {
            return deadLetter(record, DeadLetterReason.DESERIALIZATION, e);
        }
        Optional<Class<? extends SpecificRecord>> expected = Topics.DEPLOYER_STATE.equals(record.topic())
                ? Optional.of(EnvironmentState.class) : Topics.eventType(record.topic());
        if (event != null && expected.isPresent() && !expected.get().isInstance(event)) {
            return deadLetter(record, DeadLetterReason.UNEXPECTED_EVENT_TYPE, new IllegalArgumentException(
                    record.topic() + " carries " + expected.get().getSimpleName() + ", not "
                            + event.getSchema().getFullName()));
        }
        return ProjectedRecord.of(record.topic(), record.partition(), record.offset(), key, event);
    }

    private ProjectedRecord deadLetter(ConsumerRecord<byte[], byte[]> record, DeadLetterReason reason,
                                       Throwable cause) {
        LOG.warn("Dead-lettering {}-{}@{} ({}): {}", record.topic(), record.partition(), record.offset(), reason,
                cause.toString());
        deadLetters.publish(record, reason, cause);
        return ProjectedRecord.skipped(record.topic(), record.partition(), record.offset());
    }

    private static ConsumerRecord<byte[], byte[]> find(ConsumerRecords<byte[], byte[]> records,
                                                       ProjectedRecord wanted) {
        for (ConsumerRecord<byte[], byte[]> record : records.records(
                new TopicPartition(wanted.topic(), wanted.partition()))) {
            if (record.offset() == wanted.offset()) {
                return record;
            }
        }
        throw new IllegalStateException("record " + wanted.topic() + "-" + wanted.partition() + "@" + wanted.offset()
                + " is not in the poll it came from");
    }

    private List<TopicPartition> partitions() {
        Instant deadline = Instant.now().plus(startupTimeout);
        List<TopicPartition> all = new ArrayList<>();
        for (String topic : TOPICS) {
            List<PartitionInfo> infos = List.of();
            while (infos == null || infos.isEmpty()) {
                heartbeat.beat();
                if (!running) {
                    return all;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("topic " + topic + " does not exist or Kafka cannot be reached");
                }
                try {
                    infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    infos = List.of();
                }
            }
            infos.forEach(info -> all.add(new TopicPartition(topic, info.partition())));
        }
        return all;
    }

    /** Seeks every partition to its stored offset, retrying while the database does not answer. */
    private void reposition(List<TopicPartition> partitions) throws InterruptedException {
        Duration pause = Duration.ofMillis(100);
        while (running) {
            heartbeat.beat();
            try {
                seekToStored(partitions);
                return;
            } catch (SQLException e) {
                LOG.warn("Could not read the stored offsets: {}", e.toString());
                heartbeat.error(e);
                TimeUnit.MILLISECONDS.sleep(pause.toMillis());
                pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    private void seekToStored(List<TopicPartition> partitions) throws SQLException {
        Map<String, Map<Integer, Long>> stored = projection.offsets();
        List<TopicPartition> fresh = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            Long next = stored.getOrDefault(partition.topic(), Map.of()).get(partition.partition());
            if (next == null) {
                fresh.add(partition);
            } else {
                consumer.seek(partition, next);
            }
        }
        if (!fresh.isEmpty()) {
            // An empty collection would mean every assigned partition.
            consumer.seekToBeginning(fresh);
        }
    }

    /** Whether the projection thread still runs. */
    public boolean following() {
        return running && thread.isAlive();
    }

    @PreDestroy
    void stop() {
        heartbeat.close();
        running = false;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

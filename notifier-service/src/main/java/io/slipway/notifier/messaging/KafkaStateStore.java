package io.slipway.notifier.messaging;

import io.slipway.common.messaging.TopicsAtStartup;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.core.annotation.Nullable;
import io.slipway.common.config.SlipwayKafkaProperties;
import io.slipway.common.kafka.TransientFailure;
import io.slipway.notifier.domain.ChannelId;
import io.slipway.notifier.domain.ChannelMemory;
import io.slipway.notifier.domain.ChannelMemoryStore;
import io.slipway.schemas.Topics;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps every channel's memory in the compacted topic {@code slipway.notifier.state} (key {@code <channel>|<repository>},
 * JSON value) and in memory. It reads the topic to its end at start-up and again whenever a channel takes over
 * partitions from another instance ({@link #catchUp}); a save returns once the broker acknowledged it. Per key it keeps
 * the record with the highest offset, so a catch-up never replaces a newer memory with an older one.
 */
@Singleton
public class KafkaStateStore implements ChannelMemoryStore {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaStateStore.class);

    private record Entry(long offset, ChannelMemory memory) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> reader;
    private final Producer<String, String> writer;
    private final SlipwayKafkaProperties settings;
    private List<TopicPartition> partitions;

    KafkaStateStore(KafkaDefaultConfiguration kafka, SlipwayKafkaProperties settings, @Nullable TopicsAtStartup created) {
        this.reader = new KafkaConsumer<>(NotifierKafka.consumer(kafka, "notifier-service-state-reader", null),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.writer = NotifierKafka.producer(kafka, "notifier-service-state");
        this.settings = settings;
    }

    @PostConstruct
    void start() {
        catchUp(settings.startupTimeout());
        LOG.info("Notifier state read from {}: {} channel memories", Topics.NOTIFIER_STATE, entries.size());
    }

    /** Blocks until every memory saved (by any instance) before this call has been read. */
    public synchronized void catchUp(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        if (partitions == null) {
            var infos = reader.partitionsFor(Topics.NOTIFIER_STATE, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + Topics.NOTIFIER_STATE + " does not exist");
            }
            partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
        }
        Map<TopicPartition, Long> end = reader.endOffsets(partitions, timeout);
        while (end.entrySet().stream().anyMatch(e -> reader.position(e.getKey()) < e.getValue())) {
            if (Instant.now().isAfter(deadline)) {
                throw new TransientFailure("could not read " + Topics.NOTIFIER_STATE + " to its end within " + timeout);
            }
            for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
                apply(record.key(), record.offset(), record.value());
            }
        }
    }

    @Override
    public ChannelMemory load(ChannelId channel, String repository) {
        Entry entry = entries.get(key(channel, repository));
        return entry == null ? ChannelMemory.empty() : entry.memory();
    }

    /** @throws TransientFailure when the broker does not acknowledge in time */
    @Override
    public void save(ChannelId channel, String repository, ChannelMemory memory) {
        String key = key(channel, repository);
        try {
            long offset = writer.send(new ProducerRecord<>(Topics.NOTIFIER_STATE, key, NotifierJson.memory(memory)))
                    .get(settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS).offset();
            entries.merge(key, new Entry(offset, memory), (old, now) -> now.offset() >= old.offset() ? now : old);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure("interrupted while saving " + key, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new TransientFailure("could not save " + key + " to " + Topics.NOTIFIER_STATE + ": " + e.getMessage(), e);
        }
    }

    private void apply(String key, long offset, byte[] value) {
        if (key == null) {
            return;
        }
        try {
            ChannelMemory memory = value == null ? ChannelMemory.empty() : NotifierJson.memory(value);
            entries.merge(key, new Entry(offset, memory), (old, now) -> now.offset() >= old.offset() ? now : old);
        } catch (RuntimeException e) {
            LOG.warn("Ignoring unreadable state record {}@{}: {}", key, offset, e.toString());
        }
    }

    private static String key(ChannelId channel, String repository) {
        return channel + "|" + repository;
    }

    @PreDestroy
    void close() {
        writer.close(settings.sendTimeout());
        synchronized (this) {
            reader.close(Duration.ofSeconds(5));
        }
    }
}

package io.slipway.notifier.messaging;

import io.micronaut.core.annotation.Nullable;
import io.slipway.common.config.SlipwayKafkaProperties;
import io.slipway.common.kafka.CompactedTopicStore;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.kafka.TransientFailure;
import io.slipway.common.messaging.TopicsAtStartup;
import io.slipway.notifier.domain.ChannelId;
import io.slipway.notifier.domain.ChannelMemory;
import io.slipway.notifier.domain.ChannelMemoryStore;
import io.slipway.schemas.Topics;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Keeps every channel's memory in the compacted topic {@code slipway.notifier.state} (key {@code <channel>|<repository>},
 * JSON value) through the shared {@link CompactedTopicStore}. It reads the topic to its end at start-up and again
 * whenever a channel takes over partitions from another instance ({@link #catchUp}); a save returns once the broker
 * acknowledged it, and a catch-up never replaces a newer memory with an older one.
 */
@Singleton
public class KafkaStateStore implements ChannelMemoryStore {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaStateStore.class);
    private static final CompactedTopicStore.Codec<ChannelMemory> MEMORY = CompactedTopicStore.Codec.of(
            memory -> NotifierJson.memory(memory).getBytes(StandardCharsets.UTF_8), NotifierJson::memory);

    private final CompactedTopicStore<String, ChannelMemory> state;
    private final Duration startupTimeout;

    KafkaStateStore(KafkaClients clients, SlipwayKafkaProperties settings, @Nullable TopicsAtStartup created) {
        this.state = new CompactedTopicStore<>(clients, Topics.NOTIFIER_STATE, "notifier-service-state",
                CompactedTopicStore.Codec.utf8(), MEMORY, settings.stateMaxKeys(), settings.sendTimeout());
        this.startupTimeout = settings.startupTimeout();
    }

    @PostConstruct
    void start() {
        catchUp(startupTimeout);
        LOG.info("Notifier state read from {}: {} channel memories", Topics.NOTIFIER_STATE, state.size());
    }

    /**
     * Blocks until every memory saved (by any instance) before this call has been read.
     *
     * @throws TransientFailure when the state topic cannot be read to its end within {@code timeout}
     */
    public void catchUp(Duration timeout) {
        state.catchUp(timeout);
    }

    @Override
    public ChannelMemory load(ChannelId channel, String repository) {
        return state.get(key(channel, repository)).orElseGet(ChannelMemory::empty);
    }

    /** @throws TransientFailure when the broker does not acknowledge in time */
    @Override
    public void save(ChannelId channel, String repository, ChannelMemory memory) {
        state.put(key(channel, repository), memory);
    }

    private static String key(ChannelId channel, String repository) {
        return channel + "|" + repository;
    }

    @PreDestroy
    void close() {
        state.close();
    }
}

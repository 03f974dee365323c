package io.slipway.notifier.messaging;

import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.slipway.common.config.SlipwayKafkaProperties;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.kafka.TransientFailure;
import io.slipway.common.messaging.TopicsAtStartup;
import io.slipway.notifier.domain.ChannelId;
import io.slipway.notifier.domain.ChannelMemory;
import jakarta.inject.Singleton;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real state store, except that the first save of an issue channel's memory holding an open issue for the
 * repository named by {@code test.notifier.fail-first-issue-save-of} fails at once, as a save that cannot even be
 * sent would: the issue is open on the forge, the notifier does not remember it, and the delivery is taken again. Once
 * the issue channel saved a memory of the repository given to {@link #holdFlushesAfterSaveOf}, and until
 * {@link #releaseFlushes}, every channel worker's flush of its deferred saves fails as a broker that does not
 * acknowledge them in time would.
 */
@Singleton
@Replaces(KafkaStateStore.class)
@Requires(property = "test.notifier.fail-first-issue-save-of")
class StateSaveFailsOnce extends KafkaStateStore {

    private final String repository;
    private final AtomicBoolean failed = new AtomicBoolean();
    private final AtomicBoolean holding = new AtomicBoolean();
    private volatile String holdAfter;
    private final AtomicInteger held = new AtomicInteger();

    StateSaveFailsOnce(KafkaClients clients, SlipwayKafkaProperties settings, @Nullable TopicsAtStartup created,
                       @Property(name = "test.notifier.fail-first-issue-save-of") String repository) {
        super(clients, settings, created);
        this.repository = repository;
    }

    boolean failed() {
        return failed.get();
    }

    void holdFlushesAfterSaveOf(String repository) {
        holdAfter = repository;
    }

    void releaseFlushes() {
        holdAfter = null;
        holding.set(false);
    }

    /** How many flushes of the issue channel's worker failed because they were held. */
    int heldFlushes() {
        return held.get();
    }

    @Override
    void flushSaves(TopicPartition partition, Duration timeout) {
        if (holding.get()) {
            if (Thread.currentThread().getName().equals("notifier-issues:github")) {
                held.incrementAndGet();
            }
            throw new TransientFailure("test: the broker did not acknowledge the memories saved in time");
        }
        super.flushSaves(partition, timeout);
    }

    @Override
    public void save(ChannelId channel, String repository, String branch, ChannelMemory memory) {
        if (channel.type() == ChannelId.Type.ISSUES && repository.equals(this.repository) && memory.issue().isPresent()
                && failed.compareAndSet(false, true)) {
            throw new TransientFailure("test: the broker did not acknowledge the memory of " + repository + " " + branch);
        }
        super.save(channel, repository, branch, memory);
        if (channel.type() == ChannelId.Type.ISSUES && repository.equals(holdAfter)) {
            holding.set(true);
        }
    }
}

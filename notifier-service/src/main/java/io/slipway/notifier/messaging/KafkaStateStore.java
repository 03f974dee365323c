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
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps every channel's memory in the compacted topic {@code slipway.notifier.state}, one record per channel,
 * repository and branch (key {@code <channel>|<repository>|<branch>}, JSON value), through the shared
 * {@link CompactedTopicStore}. It reads the topic to its end at start-up and again whenever a channel takes over
 * partitions from another instance ({@link #catchUp}); a save returns once the broker acknowledged it, except on a
 * thread that defers its saves ({@link #deferSaves}: a channel worker), and a catch-up never replaces a newer memory
 * with an older one. Records of older versions (key {@code <channel>|<repository>}, all
 * branches in one value) are migrated the first time a branch of them is loaded: every branch they name (and the one
 * loaded) that has no record of its own gets one from its part of them, and then the old record is deleted
 * (tombstone). So once a branch has its own record, the old one can never answer for it again, even when the store's
 * key cap has forgotten the branch's record.
 */
@Singleton
public class KafkaStateStore implements ChannelMemoryStore {

    /** A value of the state topic. */
    sealed interface Stored permits BranchMemory, RepositoryMemory {
    }

    /** The memory of one channel, repository and branch. */
    record BranchMemory(ChannelMemory memory) implements Stored {
    }

    /** The memory of one channel and repository as older versions kept it: every branch's open issue in one value. */
    record RepositoryMemory(List<String> notified, Map<String, ChannelMemory.OpenIssue> openIssues,
                            List<String> finishedRuns) implements Stored {

        ChannelMemory branch(String branch) {
            return new ChannelMemory(notified, openIssues.get(branch), finishedRuns);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(KafkaStateStore.class);
    private static final CompactedTopicStore.Codec<Stored> STORED = CompactedTopicStore.Codec.of(
            KafkaStateStore::encode, NotifierJson::stored);

    private final CompactedTopicStore<String, Stored> state;
    private final Duration startupTimeout;
    /** The saves of a thread that defers them, not yet known to be acknowledged. */
    private final ThreadLocal<Deferred> deferred = new ThreadLocal<>();

    /** A thread's deferred saves: one batch per partition of the deliveries whose records made them. */
    private static final class Deferred {
        final Map<TopicPartition, CompactedTopicStore<String, Stored>.Batch> batches = new HashMap<>();
        TopicPartition current;
    }

    KafkaStateStore(KafkaClients clients, SlipwayKafkaProperties settings, @Nullable TopicsAtStartup created) {
        this.state = new CompactedTopicStore<>(clients, Topics.NOTIFIER_STATE, "notifier-service-state",
                CompactedTopicStore.Codec.utf8(), STORED, settings.stateMaxKeys(), settings.sendTimeout());
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

    /** @throws TransientFailure when migrating an older per-repository record is not acknowledged in time */
    @Override
    public ChannelMemory load(ChannelId channel, String repository, String branch) {
        Optional<Stored> own = state.get(key(channel, repository, branch));
        if (own.isPresent() && own.get() instanceof BranchMemory memory) {
            return memory.memory();
        }
        String oldKey = channel + "|" + repository;
        Optional<RepositoryMemory> old = state.get(oldKey)
                .filter(RepositoryMemory.class::isInstance).map(RepositoryMemory.class::cast);
        if (old.isEmpty()) {
            return ChannelMemory.empty();
        }
        Set<String> branches = new LinkedHashSet<>(old.get().openIssues().keySet());
        branches.add(branch);
        for (String named : branches) {
            if (!(state.get(key(channel, repository, named)).orElse(null) instanceof BranchMemory)) {
                state.put(key(channel, repository, named), new BranchMemory(old.get().branch(named)));
            }
        }
        state.delete(oldKey);
        LOG.info("{}: {} moved from the per-repository memory an older version saved to one record per branch {}",
                channel, repository, branches);
        return old.get().branch(branch);
    }

    /**
     * On a thread that defers its saves, holds the memory at once and sends it without waiting ({@link #flushSaves}
     * waits); elsewhere returns once the broker acknowledged it.
     *
     * @throws TransientFailure when the broker does not acknowledge in time (a save not deferred)
     */
    @Override
    public void save(ChannelId channel, String repository, String branch, ChannelMemory memory) {
        Deferred saves = deferred.get();
        if (saves != null && saves.current != null) {
            saves.batches.computeIfAbsent(saves.current, p -> state.batch())
                    .put(key(channel, repository, branch), new BranchMemory(memory));
            return;
        }
        state.put(key(channel, repository, branch), new BranchMemory(memory));
    }

    /**
     * From now on the calling thread's saves are not waited for one by one: a channel worker must have a delivery's
     * memory saved before it commits the delivery's offset, not before it takes the next delivery. It names the
     * partition of the record it delivers ({@link #savingFor}), flushes a partition's saves before committing it
     * ({@link #flushSaves}) and abandons them when the partition goes to another owner ({@link #abandonSaves}).
     */
    void deferSaves() {
        deferred.set(new Deferred());
    }

    /**
     * The calling thread's saves from now on are made for a record of this partition of the deliveries; {@code null}:
     * for none, and are waited for.
     */
    void savingFor(TopicPartition partition) {
        deferred.get().current = partition;
    }

    /**
     * Returns once every save the calling thread made for the partition is acknowledged (one that failed is sent
     * again first).
     *
     * @throws TransientFailure when one is not acknowledged within {@code timeout}; it is sent again by the next call
     */
    void flushSaves(TopicPartition partition, Duration timeout) {
        CompactedTopicStore<String, Stored>.Batch saves = deferred.get().batches.get(partition);
        if (saves != null) {
            saves.flush(timeout);
        }
    }

    /**
     * Gives up the calling thread's saves for the partition that are not acknowledged: its records go to another
     * owner uncommitted, which delivers them again. The store holds again the newest record of each of those memories
     * known to be on the topic. A save still in flight may yet land, over what the next owner saves meanwhile
     * (docs/notifier-service.md).
     */
    void abandonSaves(TopicPartition partition) {
        CompactedTopicStore<String, Stored>.Batch saves = deferred.get().batches.remove(partition);
        if (saves != null) {
            saves.abandon();
        }
    }

    /** The calling thread stops deferring, and gives up its saves not acknowledged. */
    void endDeferring() {
        Deferred saves = deferred.get();
        if (saves != null) {
            saves.batches.values().forEach(CompactedTopicStore.Batch::abandon);
            deferred.remove();
        }
    }

    /** {@code <channel>|<repository>|<branch>}: neither a channel nor a repository name holds {@code |}. */
    static String key(ChannelId channel, String repository, String branch) {
        return channel + "|" + repository + "|" + branch;
    }

    private static byte[] encode(Stored stored) {
        if (!(stored instanceof BranchMemory branch)) {
            throw new IllegalStateException("per-repository memories are only read, never written");
        }
        return NotifierJson.memory(branch.memory()).getBytes(StandardCharsets.UTF_8);
    }

    @PreDestroy
    void close() {
        state.close();
    }
}

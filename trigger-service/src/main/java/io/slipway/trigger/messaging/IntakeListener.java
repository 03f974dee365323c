package io.slipway.trigger.messaging;

import io.slipway.common.kafka.Batching;
import io.slipway.common.kafka.RecordPipeline;
import io.slipway.common.kafka.StageListener;
import io.slipway.common.kafka.StageSubscription;
import io.slipway.common.kafka.StageTransaction;
import io.slipway.common.kafka.WhenExhausted;
import io.slipway.events.CommitReceived;
import io.slipway.schemas.Topics;
import io.slipway.trigger.domain.RunLedger;
import io.slipway.trigger.domain.TriggerService;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * The single decision point for each repository's runs: the owner of an intake partition turns candidates into
 * runs in partition order, after its ledger has caught up with every run already in {@code slipway.commits}. A poll's
 * candidates are decided in one Kafka transaction with their intake offsets, so each becomes its run exactly once:
 * a fenced (zombie) owner can commit neither, and the runs and request states of an aborted transaction leave the
 * ledger and the request cache again.
 */
@Singleton
public class IntakeListener implements StageListener {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeListener.class);
    private static final Duration CATCH_UP_ATTEMPT = Duration.ofSeconds(30);

    private final RecordPipeline pipeline;
    private final TriggerService trigger;
    private final CommitsTail tail;
    private final IntakeObserver observer;
    private final RunLedger ledger;
    private final RequestStateWriter requests;

    IntakeListener(RecordPipeline pipeline, TriggerService trigger, CommitsTail tail, IntakeObserver observer,
                   RunLedger ledger, RequestStateWriter requests) {
        this.pipeline = pipeline;
        this.trigger = trigger;
        this.tail = tail;
        this.observer = observer;
        this.ledger = ledger;
        this.requests = requests;
    }

    @Override
    public StageSubscription subscription() {
        return new StageSubscription("trigger-service", List.of(Topics.TRIGGER_INTAKE), 1, Batching.PER_POLL);
    }

    @Override
    public void receive(ConsumerRecord<byte[], byte[]> record) {
        pipeline.process(record, CommitReceived.class, candidate -> observer.decided(trigger.start(
                CommitMapping.toPush(candidate), candidate.getRun().getRunId(), candidate.getRun().getTriggeredAt(),
                candidate.getRun().getAttempt() == CommitMapping.NEW_ATTEMPT || "manual".equals(candidate.getSource()))),
                WhenExhausted.deadLetter());
    }

    /**
     * Runs the previous owner emitted just before losing the partition must be in the ledger before this owner decides
     * anything, so this waits for as long as the tail follows the topic: a partition taken without that wait could
     * start a run twice. Past {@code max.poll.interval.ms} the group hands the partitions to another instance, and
     * liveness reports this one DOWN. Only a tail that has stopped (shutdown) ends the wait, at once, so a closing
     * instance does not sit on partitions a live one could take.
     */
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        awaitLedger(partitions);
    }

    /**
     * The runs and request states of the aborted transaction leave the ledger and the request cache; those of earlier
     * transactions stay, since they committed. A transaction whose commit had an unknown outcome may have committed
     * after all: its runs come back from the tail, which is awaited before the candidates are decided again.
     */
    @Override
    public void onAborted() {
        long aborted = StageTransaction.lastId().orElse(RunLedger.NO_TRANSACTION);
        int undone = ledger.forgetEmittedIn(aborted);
        requests.forgetUncommitted(aborted);
        LOG.info("Intake transaction aborted: its {} run(s) not yet read back from {} left the ledger", undone,
                Topics.COMMITS);
        awaitLedger(List.of());
    }

    private void awaitLedger(Collection<TopicPartition> partitions) {
        while (true) {
            try {
                tail.awaitCaughtUp(CATCH_UP_ATTEMPT);
                return;
            } catch (IllegalStateException e) {
                if (!tail.following() || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                LOG.warn("Not deciding runs{} yet: {}", partitions.isEmpty() ? "" : " for " + partitions,
                        e.getMessage());
            }
        }
    }
}

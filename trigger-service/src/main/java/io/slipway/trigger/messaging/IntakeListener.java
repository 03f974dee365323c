package io.slipway.trigger.messaging;

import io.micronaut.configuration.kafka.annotation.Topic;
import io.slipway.common.kafka.RecordPipeline;
import io.slipway.common.kafka.SlipwayListener;
import io.slipway.common.kafka.WhenExhausted;
import io.slipway.events.CommitReceived;
import io.slipway.schemas.Topics;
import io.slipway.trigger.domain.TriggerService;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;

/**
 * The single decision point for each repository's runs: the owner of an intake partition turns candidates into
 * runs in partition order, after its ledger has caught up with every run already in {@code slipway.commits}.
 */
@SlipwayListener("trigger-service")
public class IntakeListener implements ConsumerRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeListener.class);
    private static final Duration CATCH_UP_ATTEMPT = Duration.ofSeconds(30);

    private final RecordPipeline pipeline;
    private final TriggerService trigger;
    private final CommitsTail tail;
    private final IntakeObserver observer;

    IntakeListener(RecordPipeline pipeline, TriggerService trigger, CommitsTail tail, IntakeObserver observer) {
        this.pipeline = pipeline;
        this.trigger = trigger;
        this.tail = tail;
        this.observer = observer;
    }

    @Topic(Topics.TRIGGER_INTAKE)
    void receive(ConsumerRecord<byte[], byte[]> record) {
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
        while (true) {
            try {
                tail.awaitCaughtUp(CATCH_UP_ATTEMPT);
                return;
            } catch (IllegalStateException e) {
                if (!tail.following() || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                LOG.warn("Not deciding runs for {} yet: {}", partitions, e.getMessage());
            }
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        // Nothing to hand over: every decision is already in slipway.commits.
    }
}

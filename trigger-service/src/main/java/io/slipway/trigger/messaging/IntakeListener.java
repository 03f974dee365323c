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

import java.time.Duration;
import java.util.Collection;

/**
 * The single decision point for each repository's runs: the owner of an intake partition turns candidates into
 * runs in partition order, after its ledger has caught up with every run already in {@code slipway.commits}.
 */
@SlipwayListener("trigger-service")
public class IntakeListener implements ConsumerRebalanceListener {

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
                CommitMapping.toPush(candidate), candidate.getRun().getRunId(), candidate.getRun().getTriggeredAt())),
                WhenExhausted.deadLetter());
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        // Runs the previous owner emitted just before losing the partition must be in the ledger first.
        tail.awaitCaughtUp(Duration.ofSeconds(30));
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        // Nothing to hand over: every decision is already in slipway.commits.
    }
}

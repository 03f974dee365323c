package io.slipway.deployer.messaging;

import io.micronaut.configuration.kafka.annotation.Topic;
import io.slipway.common.kafka.RecordPipeline;
import io.slipway.common.kafka.SlipwayListener;
import io.slipway.common.kafka.WhenExhausted;
import io.slipway.events.ArtifactPublished;
import io.slipway.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;

/**
 * Deploys each published artifact in partition order (one repository's runs one after another), one record per poll
 * ({@code slipway.kafka.max-poll-records: 1}), so a record waiting out the retry budget holds no other back.
 */
@SlipwayListener("deployer-service")
public class ArtifactPublishedListener implements ConsumerRebalanceListener {

    private final RecordPipeline pipeline;
    private final ArtifactDeployment deployment;
    private final KafkaEnvironmentStates states;

    ArtifactPublishedListener(RecordPipeline pipeline, ArtifactDeployment deployment, KafkaEnvironmentStates states) {
        this.pipeline = pipeline;
        this.deployment = deployment;
        this.states = states;
    }

    @Topic(Topics.ARTIFACTS)
    void receive(ConsumerRecord<byte[], byte[]> record) {
        pipeline.process(record, ArtifactPublished.class, deployment::deploy, WhenExhausted.deadLetter());
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        // What runs where must be known before the next record of these repositories.
        states.reload();
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        // Nothing to hand over: every change is already in the state topic.
    }
}

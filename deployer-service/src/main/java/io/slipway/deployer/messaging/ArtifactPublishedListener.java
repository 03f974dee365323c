package io.slipway.deployer.messaging;

import io.slipway.common.kafka.Batching;
import io.slipway.common.kafka.RecordPipeline;
import io.slipway.common.kafka.StageListener;
import io.slipway.common.kafka.StageSubscription;
import io.slipway.common.kafka.WhenExhausted;
import io.slipway.events.ArtifactPublished;
import io.slipway.schemas.Topics;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.List;

/**
 * Deploys each published artifact in partition order (one repository's runs one after another), each in its own Kafka
 * transaction with its offset, its {@code Deployed} events and the environment states it wrote.
 */
@Singleton
public class ArtifactPublishedListener implements StageListener {

    private static final StageSubscription SUBSCRIPTION =
            new StageSubscription("deployer-service", List.of(Topics.ARTIFACTS), 1, Batching.PER_RECORD);

    private final RecordPipeline pipeline;
    private final ArtifactDeployment deployment;
    private final KafkaEnvironmentStates states;

    ArtifactPublishedListener(RecordPipeline pipeline, ArtifactDeployment deployment, KafkaEnvironmentStates states) {
        this.pipeline = pipeline;
        this.deployment = deployment;
        this.states = states;
    }

    @Override
    public StageSubscription subscription() {
        return SUBSCRIPTION;
    }

    @Override
    public void receive(ConsumerRecord<byte[], byte[]> record) {
        pipeline.process(record, ArtifactPublished.class, deployment::deploy, WhenExhausted.deadLetter());
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        // What runs where must be known before the next record of these repositories.
        states.reload();
    }

    /**
     * The states already hold what the aborted transaction wrote, which the state topic will never have, so they are
     * read again; the worker tries that again until it worked (an aborted transaction is often a broker away), and
     * only then deploys anything.
     */
    @Override
    public void onAborted() {
        states.forgetUncommitted();
    }
}

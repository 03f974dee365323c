package io.slipway.builder.messaging;

import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.slipway.builder.config.BuilderProperties;
import io.slipway.builder.domain.BuildInterrupted;
import io.slipway.builder.domain.Builds;
import io.slipway.common.kafka.EventPublisher;
import io.slipway.common.kafka.RecordPipeline;
import io.slipway.common.kafka.SlipwayListener;
import io.slipway.common.kafka.TransientFailure;
import io.slipway.events.CommitReceived;
import io.slipway.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Clock;

/**
 * Builds each commit of {@code slipway.commits} and publishes {@code ImageBuilt} or {@code BuildFailed}; the offset
 * is committed only after that. One consumer thread per build slot ({@code slipway.builder.slots}), each taking one
 * record per poll ({@code slipway.kafka.max-poll-records: 1} in application.yml), so a long build never holds polled
 * records hostage. A build cancelled at shutdown is handed back.
 */
@SlipwayListener(value = "${slipway.builder.group-id:builder-service}", threads = "${slipway.builder.slots:2}")
public class CommitListener {

    private final RecordPipeline pipeline;
    private final Builds builder;
    private final EventPublisher publisher;
    private final BuilderProperties properties;
    private final Clock clock;

    CommitListener(RecordPipeline pipeline, Builds builder, EventPublisher publisher, BuilderProperties properties,
                   Clock clock) {
        this.pipeline = pipeline;
        this.builder = builder;
        this.publisher = publisher;
        this.properties = properties;
        this.clock = clock;
    }

    @Topic(Topics.COMMITS)
    void receive(ConsumerRecord<byte[], byte[]> record) {
        try {
            pipeline.process(record, CommitReceived.class, commit -> {
                try {
                    var outcome = builder.build(BuildMapping.toRequest(commit, record.partition(), record.offset()));
                    publisher.publish(BuildMapping.toEvent(commit, outcome, clock.instant()));
                } catch (BuildInterrupted e) {
                    // The pipeline hands an interrupted record back (uncommitted) instead of retrying it.
                    Thread.currentThread().interrupt();
                    throw new TransientFailure("build of " + commit.getRun().getRunId() + " handed back: " + e.getMessage(), e);
                }
            });
        } catch (RecordPipeline.RecordHandedBack e) {
            Thread.interrupted();
            throw e;
        }
    }

    @EventListener
    void onShutdown(ShutdownEvent event) {
        builder.shutdown(properties.shutdownGrace());
    }
}

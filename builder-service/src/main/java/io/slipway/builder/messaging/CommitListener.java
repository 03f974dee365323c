package io.slipway.builder.messaging;

import io.micronaut.configuration.kafka.annotation.Topic;
import io.slipway.common.kafka.RecordPipeline;
import io.slipway.common.kafka.SlipwayListener;
import io.slipway.common.kafka.WhenExhausted;
import io.slipway.events.CommitReceived;
import io.slipway.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Builds each commit of {@code slipway.commits}; the offset is committed only after its outcome was published. One
 * consumer thread per build slot ({@code slipway.builder.slots}), each taking one record per poll
 * ({@code slipway.kafka.max-poll-records: 1} in application.yml), so a long build never holds polled records hostage.
 */
@SlipwayListener(value = "${slipway.builder.group-id:builder-service}", threads = "${slipway.builder.slots:2}")
public class CommitListener {

    private final RecordPipeline pipeline;
    private final CommitBuilding building;

    CommitListener(RecordPipeline pipeline, CommitBuilding building) {
        this.pipeline = pipeline;
        this.building = building;
    }

    @Topic(Topics.COMMITS)
    void receive(ConsumerRecord<byte[], byte[]> record) {
        pipeline.process(record, CommitReceived.class,
                commit -> building.build(commit, record.partition(), record.offset()),
                WhenExhausted.publishFailure(building::gaveUp));
    }
}

package io.slipway.tester.messaging;

import io.micronaut.configuration.kafka.annotation.Topic;
import io.slipway.common.kafka.RecordPipeline;
import io.slipway.common.kafka.SlipwayListener;
import io.slipway.common.kafka.WhenExhausted;
import io.slipway.events.ImageBuilt;
import io.slipway.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Tests every staged image: each {@code ImageBuilt} becomes exactly one {@code TestsPassed} or {@code BuildFailed}. */
@SlipwayListener("tester-service")
public class ImagesListener {

    private final RecordPipeline pipeline;
    private final ImageTesting testing;

    ImagesListener(RecordPipeline pipeline, ImageTesting testing) {
        this.pipeline = pipeline;
        this.testing = testing;
    }

    @Topic(Topics.IMAGES)
    void receive(ConsumerRecord<byte[], byte[]> record) {
        pipeline.process(record, ImageBuilt.class, testing::test, WhenExhausted.publishFailure(testing::gaveUp));
    }
}

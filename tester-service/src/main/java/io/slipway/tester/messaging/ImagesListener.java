package io.slipway.tester.messaging;

import io.slipway.common.kafka.Batching;
import io.slipway.common.kafka.RecordPipeline;
import io.slipway.common.kafka.StageListener;
import io.slipway.common.kafka.StageSubscription;
import io.slipway.common.kafka.WhenExhausted;
import io.slipway.events.ImageBuilt;
import io.slipway.schemas.Topics;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.List;

/**
 * Tests every staged image: each {@code ImageBuilt} becomes exactly one {@code TestsPassed} or {@code BuildFailed},
 * committed with its offset in one Kafka transaction per test run.
 */
@Singleton
public class ImagesListener implements StageListener {

    private static final StageSubscription SUBSCRIPTION =
            new StageSubscription("tester-service", List.of(Topics.IMAGES), 1, Batching.PER_RECORD);

    private final RecordPipeline pipeline;
    private final ImageTesting testing;

    ImagesListener(RecordPipeline pipeline, ImageTesting testing) {
        this.pipeline = pipeline;
        this.testing = testing;
    }

    @Override
    public StageSubscription subscription() {
        return SUBSCRIPTION;
    }

    @Override
    public void receive(ConsumerRecord<byte[], byte[]> record) {
        pipeline.process(record, ImageBuilt.class, testing::test, WhenExhausted.publishFailure(testing::gaveUp));
    }
}

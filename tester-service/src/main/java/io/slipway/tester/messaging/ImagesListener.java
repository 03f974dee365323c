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
 * committed with its offset in one Kafka transaction per test run (a poll's images share one when the backend does no
 * work: the dry-run backend).
 */
@Singleton
public class ImagesListener implements StageListener {

    private final RecordPipeline pipeline;
    private final ImageTesting testing;
    private final StageSubscription subscription;

    ImagesListener(RecordPipeline pipeline, ImageTesting testing) {
        this.pipeline = pipeline;
        this.testing = testing;
        this.subscription = new StageSubscription("tester-service", List.of(Topics.IMAGES), 1,
                testing.light() ? Batching.PER_POLL : Batching.PER_RECORD);
    }

    @Override
    public StageSubscription subscription() {
        return subscription;
    }

    @Override
    public void receive(ConsumerRecord<byte[], byte[]> record) {
        pipeline.process(record, ImageBuilt.class, testing::test, WhenExhausted.publishFailure(testing::gaveUp));
    }
}

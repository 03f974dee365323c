package io.slipway.builder.messaging;

import io.micronaut.context.annotation.Value;
import io.slipway.common.kafka.Batching;
import io.slipway.common.kafka.RecordPipeline;
import io.slipway.common.kafka.StageListener;
import io.slipway.common.kafka.StageSubscription;
import io.slipway.common.kafka.WhenExhausted;
import io.slipway.events.CommitReceived;
import io.slipway.schemas.Topics;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.List;

/**
 * Builds each commit of {@code slipway.commits}; its outcome and its offset commit together, in one Kafka transaction
 * per build (a poll's commits share one when the backend does no work: the dry-run backend). One worker per build slot ({@code slipway.builder.slots}); a worker builds the commits of its poll one
 * after another, so a commit never waits in the consumer's buffer behind a fetch of the partitions it holds.
 */
@Singleton
public class CommitListener implements StageListener {

    private final RecordPipeline pipeline;
    private final CommitBuilding building;
    private final StageSubscription subscription;

    CommitListener(RecordPipeline pipeline, CommitBuilding building,
                   @Value("${slipway.builder.group-id:builder-service}") String group,
                   @Value("${slipway.builder.slots:2}") int slots) {
        this.pipeline = pipeline;
        this.building = building;
        this.subscription = new StageSubscription(group, List.of(Topics.COMMITS), slots,
                building.light() ? Batching.PER_POLL : Batching.PER_RECORD);
    }

    @Override
    public StageSubscription subscription() {
        return subscription;
    }

    @Override
    public void receive(ConsumerRecord<byte[], byte[]> record) {
        pipeline.process(record, CommitReceived.class,
                commit -> building.build(commit, record.partition(), record.offset()),
                WhenExhausted.publishFailure(building::gaveUp));
    }
}

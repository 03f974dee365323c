package io.slipway.common.messaging;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.ShutdownEvent;
import io.slipway.common.kafka.RecordPipeline;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * When the service shuts down, stops the record pipelines it made, so a record waiting for its next attempt is
 * handed back at once instead of being waited out. It knows only pipelines already made: shutting down creates none.
 */
@Singleton
class RetriesAtShutdown implements ApplicationEventListener<ShutdownEvent> {

    private final List<RecordPipeline> pipelines = new CopyOnWriteArrayList<>();

    void add(RecordPipeline pipeline) {
        pipelines.add(pipeline);
    }

    @Override
    public void onApplicationEvent(ShutdownEvent event) {
        pipelines.forEach(RecordPipeline::stop);
    }
}

package io.slipway.common.kafka;

/**
 * A stage's reaction to one decoded event. It returns once every outcome it produces has been published;
 * it throws {@link TransientFailure} for faults worth retrying (for the stage's retry budget, see
 * {@link RecordPipeline}), {@link RecordPipeline.RecordHandedBack} when it stopped before the event had an outcome,
 * and any other exception for a record it can never process.
 */
@FunctionalInterface
public interface RecordHandler<T> {
    void handle(T event) throws Exception;
}

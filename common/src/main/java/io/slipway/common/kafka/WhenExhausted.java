package io.slipway.common.kafka;

/**
 * What a record becomes when its transient faults outlast the retry budget, as its stage declares it to
 * {@link RecordPipeline}: either the stage publishes a failure event of its own, which ends the run (the builder and
 * the tester: {@code BuildFailed INFRASTRUCTURE}, retryable), or the record goes to {@code <topic>.dlq} with reason
 * {@link DeadLetterReason#RETRIES_EXHAUSTED}, to be replayed once the dependency is back.
 */
public sealed interface WhenExhausted<T> {

    /** The record goes to {@code <topic>.dlq} with reason {@code RETRIES_EXHAUSTED}. */
    static <T> WhenExhausted<T> deadLetter() {
        return new DeadLetter<>();
    }

    /** The stage publishes its failure event; should that fail too, the record goes to {@code <topic>.dlq}. */
    static <T> WhenExhausted<T> publishFailure(FailureOutcome<T> outcome) {
        return new PublishFailure<>(outcome);
    }

    /** See {@link #deadLetter()}. */
    record DeadLetter<T>() implements WhenExhausted<T> {
    }

    /** See {@link #publishFailure(FailureOutcome)}. */
    record PublishFailure<T>(FailureOutcome<T> outcome) implements WhenExhausted<T> {
    }

    /** Publishes a stage's failure event for an event it could not process in time; returns once it is durable. */
    @FunctionalInterface
    interface FailureOutcome<T> {
        void publish(T event, RetriesExhausted exhausted) throws Exception;
    }
}

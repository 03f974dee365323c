package io.slipway.trigger.messaging;

import io.slipway.common.config.SlipwayKafkaProperties;
import io.slipway.common.kafka.EventPublisher;
import io.slipway.common.kafka.TransientFailure;
import io.slipway.schemas.Topics;
import io.slipway.trigger.domain.Push;
import io.slipway.trigger.domain.RunEmitter;
import io.slipway.trigger.domain.RunIntake;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes accepted pushes to the intake topic and started runs to {@code slipway.commits}, both keyed by repository
 * and acknowledged by all in-sync replicas. A push is sent without waiting: its future completes on the producer's
 * acknowledgement, or fails with a {@link TransientFailure} when the broker refuses it or has not acknowledged it
 * within the send timeout ({@code slipway.kafka.send-timeout}).
 */
@Singleton
public class KafkaRunIntake implements RunIntake, RunEmitter {

    private final EventPublisher publisher;
    private final Clock clock;
    private final Duration sendTimeout;

    public KafkaRunIntake(EventPublisher publisher, Clock clock, SlipwayKafkaProperties kafka) {
        this.publisher = publisher;
        this.clock = clock;
        this.sendTimeout = kafka.sendTimeout();
    }

    @Override
    public CompletableFuture<Void> submit(Push push, String runId, boolean newAttempt) {
        Instant now = clock.instant();
        return publisher.publishAsync(Topics.TRIGGER_INTAKE, push.repository(),
                        CommitMapping.toEvent(push, runId, newAttempt ? CommitMapping.NEW_ATTEMPT
                                : CommitMapping.UNASSIGNED_ATTEMPT, now, CommitMapping.UNASSIGNED_SEQUENCE, now))
                .orTimeout(sendTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((metadata, failure) -> {
                    if (failure != null) {
                        throw new CompletionException(notRecorded(failure));
                    }
                    return null;
                });
    }

    private TransientFailure notRecorded(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof TransientFailure transientFailure) {
            return transientFailure;
        }
        String why = cause instanceof TimeoutException ? "not acknowledged within " + sendTimeout.toMillis() + " ms"
                : cause.getMessage();
        return new TransientFailure("could not publish CommitReceived to " + Topics.TRIGGER_INTAKE + ": " + why, cause);
    }

    @Override
    public void emit(Push push, String runId, int attempt, Instant triggeredAt, long sequence) {
        publisher.publish(Topics.COMMITS, push.repository(),
                CommitMapping.toEvent(push, runId, attempt, triggeredAt, sequence, clock.instant()));
    }
}

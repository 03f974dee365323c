package io.slipway.trigger.messaging;

import io.slipway.common.kafka.EventPublisher;
import io.slipway.schemas.Topics;
import io.slipway.trigger.domain.Push;
import io.slipway.trigger.domain.RunEmitter;
import io.slipway.trigger.domain.RunIntake;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;

/**
 * Writes accepted pushes to the intake topic and started runs to {@code slipway.commits}, both keyed by
 * repository and acknowledged by all in-sync replicas before the call returns.
 */
@Singleton
public class KafkaRunIntake implements RunIntake, RunEmitter {

    private final EventPublisher publisher;
    private final Clock clock;

    public KafkaRunIntake(EventPublisher publisher, Clock clock) {
        this.publisher = publisher;
        this.clock = clock;
    }

    @Override
    public void submit(Push push, String runId, boolean newAttempt) {
        Instant now = clock.instant();
        publisher.publish(Topics.TRIGGER_INTAKE, push.repository(),
                CommitMapping.toEvent(push, runId, newAttempt ? CommitMapping.NEW_ATTEMPT : CommitMapping.UNASSIGNED_ATTEMPT,
                        now, CommitMapping.UNASSIGNED_SEQUENCE, now));
    }

    @Override
    public void emit(Push push, String runId, int attempt, Instant triggeredAt, long sequence) {
        publisher.publish(Topics.COMMITS, push.repository(),
                CommitMapping.toEvent(push, runId, attempt, triggeredAt, sequence, clock.instant()));
    }
}

package io.slipway.trigger.domain;

import java.time.Instant;

/**
 * Port: emits the {@code CommitReceived} that starts a run, with its attempt and accepted sequence; returns once
 * the event is durable, or, called in the intake's Kafka transaction, once it is part of that transaction (durable
 * when the transaction commits, gone when it aborts).
 */
public interface RunEmitter {
    void emit(Push push, String runId, int attempt, Instant triggeredAt, long sequence);
}

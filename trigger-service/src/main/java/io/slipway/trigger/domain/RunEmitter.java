package io.slipway.trigger.domain;

import java.time.Instant;

/**
 * Port: emits the {@code CommitReceived} that starts a run, with its attempt and accepted sequence; returns once
 * the event is durable.
 */
public interface RunEmitter {
    void emit(Push push, String runId, int attempt, Instant triggeredAt, long sequence);
}

package io.slipway.trigger.domain;

/** Port: emits the {@code CommitReceived} that starts a run; returns once the event is durable. */
public interface RunEmitter {
    void emit(Push push, String runId, int attempt, java.time.Instant triggeredAt);
}

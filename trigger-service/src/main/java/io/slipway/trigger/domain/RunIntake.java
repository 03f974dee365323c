package io.slipway.trigger.domain;

import java.util.concurrent.CompletableFuture;

/** Port: hands an admitted push to the partition owner that decides, once, whether it becomes a run. */
public interface RunIntake {

    /**
     * Sends the request to be recorded durably without waiting for it: the future completes once Kafka acknowledged
     * it, or exceptionally with a {@code TransientFailure} when Kafka did not in time (nothing to retry here: the
     * caller is answered that it may redeliver).
     *
     * @param newAttempt true for a manual re-run or a reopened request, which becomes the next attempt of its run
     */
    CompletableFuture<Void> submit(Push push, String runId, boolean newAttempt);
}

package io.slipway.trigger.domain;

/** Port: hands an admitted push to the partition owner that decides, once, whether it becomes a run. */
public interface RunIntake {

    /**
     * Durably records the request (returns once Kafka acknowledged it).
     *
     * @param newAttempt true for a manual re-run or a reopened request, which becomes the next attempt of its run
     */
    void submit(Push push, String runId, boolean newAttempt);
}

package io.slipway.common.kafka;

import java.time.Duration;

/**
 * What {@link RecordPipeline} tells a stage whose record's transient faults outlasted the retry budget: how long
 * the record was retried, in how many attempts, and the last fault (which says what was unreachable).
 *
 * @param retriedFor the time from the record's first transient fault to its last
 * @param attempts   how many times the stage was tried
 * @param lastFault  the fault of the last attempt
 */
public record RetriesExhausted(Duration retriedFor, int attempts, Throwable lastFault) {

    /** {@code "for 2m0s (14 attempts)"}, to append to a message that names what was unreachable. */
    public String summary() {
        return "for " + RetryBudget.human(retriedFor) + " (" + attempts + (attempts == 1 ? " attempt)" : " attempts)");
    }
}

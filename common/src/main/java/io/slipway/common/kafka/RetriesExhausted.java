package io.slipway.common.kafka;

import io.slipway.common.yaml.DurationSyntax;

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

    /** {@code "for 2m (14 attempts)"}. */
    public String summary() {
        return "for " + DurationSyntax.format(retriedFor) + " (" + attempts + (attempts == 1 ? " attempt)" : " attempts)");
    }

    /** The last fault's message, which names what was unreachable, and for how long it was retried. */
    public String message() {
        return lastFault.getMessage() + "; still failing after retrying " + summary();
    }
}

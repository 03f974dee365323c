package io.slipway.common.liveness;

import java.time.Instant;

/**
 * One worker's state as {@code /health} reports it.
 *
 * @param name      the worker (a listener's consumer, a tail thread)
 * @param alive     false when its thread ended or it has not polled within its interval
 * @param state     what it is doing, or why it is down
 * @param since     when that state began: its last poll, or when it ended
 * @param lastError the last error it met, or null
 */
public record Vital(String name, boolean alive, String state, Instant since, String lastError) {
}

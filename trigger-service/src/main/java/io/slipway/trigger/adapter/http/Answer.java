package io.slipway.trigger.adapter.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The JSON body of every trigger answer: {@code status} is accepted, duplicate, ignored, awaiting-approval, closed,
 * pong or rejected;
 * {@code runId} names the run where there is one; {@code message} says why in words.
 */
@Serdeable
public record Answer(String status, @Nullable String runId, @Nullable String message) {

    static Answer rejected(String message) {
        return new Answer("rejected", null, message);
    }
}

package io.slipway.trigger.domain;

/** A webhook body that is not what its forge documents: malformed JSON or a missing field, named. Answered 400. */
public class InvalidPayload extends RuntimeException {
    public InvalidPayload(String message) {
        super(message);
    }
}

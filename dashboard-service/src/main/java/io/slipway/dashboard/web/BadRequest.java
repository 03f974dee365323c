package io.slipway.dashboard.web;

/** A request the pages refuse with 400; the message says what was wrong and is shown (escaped) to the person. */
public final class BadRequest extends RuntimeException {

    public BadRequest(String message) {
        super(message);
    }
}

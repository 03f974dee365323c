package io.slipway.tester.domain;

/** A suite file that cannot be run as written; the message names the file, the place (line, key) and the fix. */
public final class InvalidSuite extends RuntimeException {
    public InvalidSuite(String message) {
        super(message);
    }
}

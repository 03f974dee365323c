package io.slipway.dashboard.web;

/** A page that names nothing known (an unknown run, a missing report): 404 with a message saying what is missing. */
public final class NotFound extends RuntimeException {

    private final String title;

    public NotFound(String title, String message) {
        super(message);
        this.title = title;
    }

    public String title() {
        return title;
    }
}

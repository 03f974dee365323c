package io.slipway.notifier.domain;

/**
 * The channel refused the notification for good (a 4xx other than 429 and rate limits): the same request can never
 * succeed. Carries the HTTP status and the response body, which go with the notification to the dead-letter topic.
 */
public class NotificationRejected extends RuntimeException {

    private final int status;
    private final String response;

    public NotificationRejected(String target, int status, String response) {
        super(target + " rejected the request: HTTP " + status + " " + response);
        this.status = status;
        this.response = response;
    }

    public int status() {
        return status;
    }

    public String response() {
        return response;
    }

    /** 404 or 410: the thing addressed (an issue, a repository) does not exist (any more). */
    public boolean isGone() {
        return status == 404 || status == 410;
    }
}

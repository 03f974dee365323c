package io.slipway.notifier.domain;

/**
 * Port: the commit status API of a forge, which shows a run's state next to the commit. Throws
 * {@link ChannelUnavailable} for faults worth retrying and {@link NotificationRejected} for a refusal.
 */
public interface CommitStatuses {

    /** A run's state; each forge spells it its own way. */
    enum State { PENDING, SUCCESS, FAILURE, CANCELLED }

    /** Sets the status of {@code sha}; {@code targetUrl} may be null. */
    void set(Notification notification, State state, String description, String targetUrl);
}

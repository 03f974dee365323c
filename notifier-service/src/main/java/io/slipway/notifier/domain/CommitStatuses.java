package io.slipway.notifier.domain;

/**
 * Port: the commit status API of a forge, which shows a run's state next to the commit (and on the pull or merge
 * request whose head it is). Throws {@link ChannelUnavailable} for faults worth retrying and
 * {@link NotificationRejected} for a refusal.
 */
public interface CommitStatuses {

    /** A run's state; each forge spells it its own way. SKIPPED: the run had nothing to do (path filters). */
    enum State { PENDING, SUCCESS, FAILURE, CANCELLED, SKIPPED }

    /** Sets the status of {@link Notification#statusSha()}; {@code targetUrl} may be null. */
    void set(Notification notification, State state, String description, String targetUrl);
}

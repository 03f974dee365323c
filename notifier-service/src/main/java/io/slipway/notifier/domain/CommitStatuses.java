package io.slipway.notifier.domain;

/**
 * Port: the commit status API of a forge, which shows a run's state next to the commit (and on the pull or merge
 * request whose head it is). Throws {@link ChannelUnavailable} for faults worth retrying and
 * {@link NotificationRejected} for a refusal.
 */
public interface CommitStatuses {

    /** A run's state; each forge spells it its own way. SKIPPED: the run had nothing to do (path filters). */
    enum State { PENDING, SUCCESS, FAILURE, CANCELLED, SKIPPED }

    /**
     * The status context of a run: {@code base} for a push, {@code <base>/request} for a run of a pull or merge request,
     * as GitHub Actions tells {@code (push)} from {@code (pull_request)}: the same commit may be both a branch's tip and
     * a request's head, and a request's cancelled run must not overwrite the push's result on it. A deployment's status
     * is its environment's, {@code <base>/deploy/<environment>}, beside the run's own.
     */
    static String context(String base, Notification notification) {
        if (notification.isDeployment()) {
            return base + "/deploy/" + notification.deployment().environment();
        }
        return notification.isRequest() ? base + "/request" : base;
    }

    /** Sets the status of {@link Notification#statusSha()}; {@code targetUrl} may be null. */
    void set(Notification notification, State state, String description, String targetUrl);
}

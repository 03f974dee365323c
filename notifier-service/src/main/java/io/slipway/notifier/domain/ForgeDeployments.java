package io.slipway.notifier.domain;

import java.util.Optional;

/**
 * Port: the deployments API of a forge (GitHub's deployments and their statuses, GitLab's deployments), which shows
 * per environment what runs there and where it answers. Throws {@link ChannelUnavailable} for faults worth retrying
 * and {@link NotificationRejected} for a refusal.
 */
public interface ForgeDeployments {

    /** The result of a deployment as both forges record it. */
    enum Result { SUCCESS, FAILURE }

    /**
     * Records a deployment of {@link Notification#sha()} to the notification's environment. Returns the forge's id of
     * a deployment whose status must still be set with {@link #status}; empty when the forge took the result with the
     * creation (GitLab) or created no deployment (GitHub's 202 answer after an auto-merge, which the adapter logs).
     */
    Optional<String> create(Notification notification, Result result, String description);

    /** Sets the result of the deployment {@code id} made for the notification; {@code logUrl} (the run) may be null. */
    void status(Notification notification, String id, Result result, String description, String logUrl);
}

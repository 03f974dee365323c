package io.slipway.trigger.domain;

import io.slipway.common.glob.Glob;

/**
 * What the operator configured for repositories whose full name matches {@code pattern}: the secret that signs
 * their webhooks (or GitLab's plain token), which branches and tags start runs (for a pull or merge request: its
 * target branch), and how their requests run.
 */
public record WatchedRepository(Glob pattern, String secret, RefFilter branches, RefFilter tags,
                                RequestSettings requests) {

    /** A repository whose requests run with the {@link RequestSettings#DEFAULTS defaults}. */
    public WatchedRepository(Glob pattern, String secret, RefFilter branches, RefFilter tags) {
        this(pattern, secret, branches, tags, RequestSettings.DEFAULTS);
    }

    @Override
    public String toString() {
        // Never print the secret.
        return "WatchedRepository[" + pattern + ", branches=" + branches + ", tags=" + tags + ", requests=" + requests
                + "]";
    }
}

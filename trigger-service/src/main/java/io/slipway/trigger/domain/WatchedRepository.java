package io.slipway.trigger.domain;

import io.slipway.common.glob.Glob;

/**
 * What the operator configured for repositories whose full name matches {@code pattern}: the secret that signs
 * their webhooks (or GitLab's plain token) and which branches and tags start runs.
 */
public record WatchedRepository(Glob pattern, String secret, RefFilter branches, RefFilter tags) {

    @Override
    public String toString() {
        // Never print the secret.
        return "WatchedRepository[" + pattern + ", branches=" + branches + ", tags=" + tags + "]";
    }
}

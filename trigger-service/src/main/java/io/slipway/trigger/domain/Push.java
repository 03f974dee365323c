package io.slipway.trigger.domain;

import java.time.Instant;

/**
 * One pushed ref as a forge reported it, reduced to what a run needs. {@code deliveryId} is the forge's id of
 * the delivery (null where the forge sends none); {@code deleted} is true for a branch or tag deletion.
 */
public record Push(String source, String deliveryId, String repository, String cloneUrl, String webUrl,
                   String ref, String sha, String message, String authorName, String authorEmail,
                   Instant timestamp, boolean deleted) {

    public static final String ZERO_SHA = "0000000000000000000000000000000000000000";

    public boolean isTag() {
        return ref.startsWith("refs/tags/");
    }

    /** The branch or tag name without its {@code refs/heads/} or {@code refs/tags/} prefix. */
    public String shortRef() {
        if (ref.startsWith("refs/heads/")) {
            return ref.substring("refs/heads/".length());
        }
        return isTag() ? ref.substring("refs/tags/".length()) : ref;
    }
}

package io.slipway.deliverer.domain;

import io.slipway.common.requests.ChangeRequests;

import java.time.Instant;

/**
 * One tested artifact to deliver: the run that made it (id and attempt, repository, commit and ref, when the commit
 * was made, when the run was triggered and the sequence the trigger accepted it with), where the tester found it, by
 * digest, and the pull or merge request the run tests as it is shown ({@code #12 → main}), null for a push.
 */
public record Delivery(String runId, int attempt, String repository, String sha, String ref, Instant committedAt,
                       Instant triggeredAt, long sequence, ImageRef staged, String digest, boolean container,
                       String request) {

    /** The delivery of a push's run (no request). */
    public Delivery(String runId, int attempt, String repository, String sha, String ref, Instant committedAt,
                    Instant triggeredAt, long sequence, ImageRef staged, String digest, boolean container) {
        this(runId, attempt, repository, sha, ref, committedAt, triggeredAt, sequence, staged, digest, container, null);
    }

    /**
     * Whether the run tests a pull or merge request: it names one, or its ref is one forges keep requests under (no
     * push has such a ref, so a run that lost its request on the way is still one).
     */
    public boolean ofRequest() {
        return request != null || ChangeRequests.isRequestRef(ref);
    }
}

package io.slipway.common.requests;

import io.slipway.events.ChangeRequest;

/**
 * How a pull or merge request is named and recognised wherever a run is shown or released: {@code #12} for a pull
 * request (GitHub, Gitea/Forgejo), {@code !12} for a GitLab merge request, and the refs forges keep requests under
 * ({@code refs/pull/…}, {@code refs/merge-requests/…}), which no push to a branch or tag has.
 */
public final class ChangeRequests {

    private static final String PULL_REFS = "refs/pull/";
    private static final String MERGE_REQUEST_REFS = "refs/merge-requests/";

    private ChangeRequests() {
    }

    /** {@code #12} for a pull request, {@code !12} for a merge request. */
    public static String name(ChangeRequest request) {
        return ("merge".equals(request.getKind()) ? "!" : "#") + request.getNumber();
    }

    /** The request and the branch it asks to merge into: {@code #12 → main}. */
    public static String nameWithTarget(ChangeRequest request) {
        return name(request) + " → " + request.getTargetBranch();
    }

    /** Whether {@code ref} is one a forge keeps a request's head or merge result under. */
    public static boolean isRequestRef(String ref) {
        return ref != null && (ref.startsWith(PULL_REFS) || ref.startsWith(MERGE_REQUEST_REFS));
    }
}

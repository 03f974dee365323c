package io.slipway.notifier.domain;

import java.util.Optional;

/**
 * Port: comments on the pull or merge request a run tests (GitHub issue comments, GitLab merge request notes), in
 * the run's repository, which is the request's target. The notifier keeps one comment per request and updates it in
 * place. Throws {@link ChannelUnavailable} for faults worth retrying and {@link NotificationRejected} for a refusal.
 */
public interface RequestComments {

    /** A comment as the forge numbers it, and its web page (null when the forge gives none). */
    record CommentRef(String id, String url) {
    }

    /** A comment found on the request and the marker that ends its body. */
    record FoundComment(CommentRef ref, IssueMarker marker) {
    }

    CommentRef post(String repository, ChangeRequest request, String body);

    void update(String repository, ChangeRequest request, CommentRef comment, String body);

    /**
     * The comment on the request, written by the forge account the notifier acts as, whose body ends with a marker
     * of the same repository and subject as {@code wanted}; the list is read page by page up to a bound.
     */
    Optional<FoundComment> findOwn(String repository, ChangeRequest request, IssueMarker wanted);
}

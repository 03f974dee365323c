package io.slipway.notifier.domain;

import java.util.Optional;

/**
 * Port: the issues of a forge (GitHub or GitLab, also self-hosted). Issues are opened in the tracker's project for
 * the repository. Throws {@link ChannelUnavailable} for faults worth retrying and {@link NotificationRejected} for a
 * refusal.
 */
public interface IssueTracker {

    /** An issue as the tracker numbers it ({@code number} on GitHub, {@code iid} on GitLab) and its web page. */
    record IssueRef(String id, String url) {
    }

    /** An open issue found on the forge and the marker that ends its body. */
    record FoundIssue(IssueRef ref, IssueMarker marker) {
    }

    IssueRef open(String repository, String title, String body);

    /**
     * The newest open issue (not pull or merge request) in the tracker's project for the repository whose body ends
     * with a marker of the same repository and branch as {@code wanted}. Reads the forge's issue list (consistent,
     * unlike its search), page by page up to a bound, filtered by the tracker's labels.
     */
    Optional<FoundIssue> findOpen(String repository, IssueMarker wanted);

    void comment(String repository, IssueRef issue, String body);

    void close(String repository, IssueRef issue);
}

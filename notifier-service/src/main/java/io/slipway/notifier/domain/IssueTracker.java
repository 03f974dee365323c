package io.slipway.notifier.domain;

/**
 * Port: the issues of a forge (GitHub or GitLab, also self-hosted). Issues are opened in the tracker's project for
 * the repository. Throws {@link ChannelUnavailable} for faults worth retrying and {@link NotificationRejected} for a
 * refusal.
 */
public interface IssueTracker {

    /** An issue as the tracker numbers it ({@code number} on GitHub, {@code iid} on GitLab) and its web page. */
    record IssueRef(String id, String url) {
    }

    IssueRef open(String repository, String title, String body);

    void comment(String repository, IssueRef issue, String body);

    void close(String repository, IssueRef issue);
}

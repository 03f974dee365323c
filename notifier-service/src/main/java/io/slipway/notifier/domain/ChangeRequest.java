package io.slipway.notifier.domain;

/**
 * The pull request (GitHub, Gitea) or merge request (GitLab) a run tests, as the notifier tells people about it: its
 * number, branches, author and whether it comes from a fork. Statuses and comments go to {@code headSha} in the
 * run's (the target) repository. {@code author} and {@code webUrl} may be null.
 */
public record ChangeRequest(int number, Kind kind, String sourceBranch, String targetBranch, String sourceRepository,
                            String author, boolean fromFork, String headSha, String webUrl) {

    /** How the forge calls it, which decides how it is written. */
    public enum Kind {
        /** A pull request, written {@code #12}. */
        PULL,
        /** A merge request, written {@code !12}. */
        MERGE
    }

    /** {@code #12} for a pull request, {@code !12} for a merge request, as the forges write them. */
    public String displayName() {
        return (kind == Kind.MERGE ? "!" : "#") + number;
    }

    /** The key of what the notifier remembers about the request; a colon cannot occur in a branch name. */
    public String memoryKey() {
        return "request:" + displayName();
    }
}

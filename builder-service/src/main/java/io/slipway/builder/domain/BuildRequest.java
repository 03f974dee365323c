package io.slipway.builder.domain;

import java.time.Instant;

/**
 * One commit to build, as the run announced it, plus where it waits in the build queue: {@code lane} and
 * {@code position} order the commits of one repository (a Kafka partition and offset), so a later position on the
 * same lane is a newer request. {@code before} is, for a push, the sha the ref pointed to before (null when new or
 * unknown); {@code request} is the pull or merge request the run tests, null for a branch or tag push;
 * {@code attempt} is the run's attempt (1 for the first), which its streamed log is filed under.
 */
public record BuildRequest(String runId, String repository, String cloneUrl, String webUrl, String sha, String ref,
                           Instant triggeredAt, int lane, long position, String before, ChangeRequest request,
                           int attempt) {

    /** The first attempt of a run. */
    public BuildRequest(String runId, String repository, String cloneUrl, String webUrl, String sha, String ref,
                        Instant triggeredAt, int lane, long position, String before, ChangeRequest request) {
        this(runId, repository, cloneUrl, webUrl, sha, ref, triggeredAt, lane, position, before, request, 1);
    }

    /** A push of a branch or tag whose previous sha is unknown. */
    public BuildRequest(String runId, String repository, String cloneUrl, String webUrl, String sha, String ref,
                        Instant triggeredAt, int lane, long position) {
        this(runId, repository, cloneUrl, webUrl, sha, ref, triggeredAt, lane, position, null, null, 1);
    }

    /**
     * The pull request (GitHub, Gitea) or merge request (GitLab) a run tests; its head is the run's sha.
     *
     * @param targetBranch the branch it merges into: changed paths count from the merge base with it
     * @param fromFork     whether the change comes from another repository: such a build gets no secret
     * @param mergeResult  whether the run builds the forge's merge ref (whose tip must merge the head)
     */
    public record ChangeRequest(int number, Kind kind, String targetBranch, String sourceRepository, boolean fromFork,
                                boolean mergeResult) {

        /** Which forge vocabulary: a pull request ({@code #12}) or a merge request ({@code !12}). */
        public enum Kind { PULL, MERGE }

        /** {@code #12} or {@code !12}. */
        public String displayName() {
            return (kind == Kind.MERGE ? "!" : "#") + number;
        }

        /** {@code pr-12} or {@code mr-12}: how its staged tags begin. */
        public String tagPrefix() {
            return (kind == Kind.MERGE ? "mr-" : "pr-") + number;
        }
    }

    /** The branch or tag name without {@code refs/heads/} or {@code refs/tags/}. */
    public String shortRef() {
        return ref.replaceFirst("^refs/(heads|tags)/", "");
    }

    public boolean isTag() {
        return ref.startsWith("refs/tags/");
    }

    /** A fork's request: no git credentials, no service build args, no registry credentials reach its build. */
    public boolean untrusted() {
        return request != null && request.fromFork();
    }

    public String shortSha() {
        return sha.length() > 7 ? sha.substring(0, 7) : sha;
    }
}

package io.slipway.builder.domain;

import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.function.Predicate;

/** Port: makes a commit of a repository available locally, fetching only what the local mirror lacks. */
@FunctionalInterface
public interface Sources {

    /**
     * What to fetch for a run.
     *
     * @param sha          the commit the run names (a request's head)
     * @param ref          the run's ref: a request ref ({@code refs/pull/N/head|merge},
     *                     {@code refs/merge-requests/N/head|merge}) is fetched and its tip checked against {@code sha};
     *                     for a merge ref the tip, which must have {@code sha} as a parent, is what is built
     * @param before       a push's previous sha (changed paths count from it), or null
     * @param targetBranch a request's target branch (changed paths count from the merge base with it), or null
     * @param anonymous    fetch with no git credentials at all, into a mirror of its own (a fork's request)
     */
    record Fetch(String repository, String cloneUrl, String sha, String ref, String before, String targetBranch,
                 boolean anonymous) {

        /** The fetch a run of {@code request} needs. */
        public static Fetch of(BuildRequest request) {
            BuildRequest.ChangeRequest change = request.request();
            return new Fetch(request.repository(), request.cloneUrl(), request.sha(), request.ref(),
                    change == null ? request.before() : null, change == null ? null : change.targetBranch(),
                    request.untrusted());
        }
    }

    /**
     * The paths a run changes, counted against {@code comparedWith} (e.g. {@code abc1234..def5678}).
     *
     * @param count       how many changed paths were walked: all of them when none was wanted (a rename counts its
     *                    old and its new path)
     * @param firstWanted the first changed path the filter accepted, or null when none did
     */
    record ChangedPaths(String comparedWith, long count, String firstWanted) {
    }

    /**
     * The tree of what {@code fetch} asks to build.
     *
     * @throws StageFailure with {@link Reason#SOURCE_UNAVAILABLE} when the URL is refused, the commit or request ref
     *                      does not exist, or the request ref does not point where the run says
     * @throws InfrastructureUnavailable when the git server cannot be reached
     */
    Tree fetch(Fetch fetch);

    /** The tree of {@code sha}, for a push whose previous sha is unknown. */
    default Tree fetch(String repository, String cloneUrl, String sha) {
        return fetch(new Fetch(repository, cloneUrl, sha, null, null, null, false));
    }

    /** The files of one commit; close it when done. */
    interface Tree extends AutoCloseable {

        /** The sha of the commit whose tree this is: the run's sha, or the merge commit of a merge ref. */
        String commit();

        /**
         * Walks the paths the run changes (a push: since {@code before} when the mirror has it, else since the
         * commit's first parent; a request: since the merge base of its target branch and its head) until
         * {@code wanted} accepts one.
         */
        ChangedPaths changedPaths(Predicate<String> wanted);

        /** The size of the regular file at {@code path}, or empty when there is none. */
        OptionalLong size(String path);

        /** The bytes of the regular file at {@code path}; call only after {@link #size} found it. */
        byte[] read(String path);

        /** Writes the whole tree into {@code directory} (like {@code git archive}: no {@code .git}). */
        void export(Path directory);

        @Override
        void close();
    }
}

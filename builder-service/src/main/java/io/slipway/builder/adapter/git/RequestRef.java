package io.slipway.builder.adapter.git;

import io.slipway.builder.domain.Reason;
import io.slipway.builder.domain.StageFailure;
import org.eclipse.jgit.transport.RefSpec;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pull or merge request's ref as forges keep it in the target repository: {@code refs/pull/N/head|merge} (GitHub,
 * Gitea, Forgejo) or {@code refs/merge-requests/N/head|merge} (GitLab). It is fetched with the request's whole
 * {@code refs/pull/N/*} namespace into {@code refs/slipway/pull/N/*} of the mirror, so a missing ref is an answer
 * to give ("no merge ref") rather than a failed fetch; anything else under {@code refs/pull/} or
 * {@code refs/merge-requests/} is refused, since the ref goes into a refspec.
 */
record RequestRef(String namespace, int number, boolean merge) {

    private static final Pattern REF = Pattern.compile("refs/(pull|merge-requests)/([1-9][0-9]{0,9})/(head|merge)");

    /** The request ref {@code ref} names, empty for any other ref (a branch or tag). */
    static Optional<RequestRef> of(String ref) {
        if (ref == null || !(ref.startsWith("refs/pull/") || ref.startsWith("refs/merge-requests/"))) {
            return Optional.empty();
        }
        Matcher m = REF.matcher(ref);
        long number = m.matches() ? Long.parseLong(m.group(2)) : -1;
        if (number < 1 || number > Integer.MAX_VALUE) {
            throw new StageFailure(Reason.SOURCE_UNAVAILABLE, "'" + ref + "' is not a request ref Slipway fetches "
                    + "(refs/pull/<n>/head|merge or refs/merge-requests/<n>/head|merge)", false);
        }
        return Optional.of(new RequestRef(m.group(1), (int) number, m.group(3).equals("merge")));
    }

    /** The ref on the forge, e.g. {@code refs/pull/12/head}. */
    String name() {
        return "refs/" + namespace + "/" + number + "/" + (merge ? "merge" : "head");
    }

    /** Where the mirror keeps it. */
    String local() {
        return "refs/slipway/" + namespace + "/" + number + "/" + (merge ? "merge" : "head");
    }

    RefSpec refSpec() {
        return new RefSpec("+refs/" + namespace + "/" + number + "/*:refs/slipway/" + namespace + "/" + number + "/*");
    }
}

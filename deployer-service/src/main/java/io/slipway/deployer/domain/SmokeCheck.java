package io.slipway.deployer.domain;

import io.slipway.common.policy.Names;

import java.util.Optional;

/**
 * One HTTP smoke check: GET {@code path} on the deployment's URL, expect {@code status} and, when set, a body that
 * contains {@code contains}. The path comes from operators or from the repository (untrusted), so it must be an
 * absolute path that cannot name another host: the rule is common's {@link Names#smokePathProblem}, the one the
 * builder applies to the repository's {@code deploy:} block.
 */
public record SmokeCheck(String path, int status, String contains) {

    /** Why {@code path} is not an absolute path on the deployment's own host, or empty when it is one. */
    public static Optional<String> pathProblem(String path) {
        return Names.smokePathProblem(path).map(problem -> "smoke check path " + Names.shown(path == null ? "" : path)
                + " must be an absolute path on the deployment like /health (" + problem + ")");
    }
}

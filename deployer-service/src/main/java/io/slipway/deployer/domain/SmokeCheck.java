package io.slipway.deployer.domain;

import java.util.Optional;

/**
 * One HTTP smoke check: GET {@code path} on the deployment's URL, expect {@code status} and, when set, a body that
 * contains {@code contains}. The path comes from operators or from the repository (untrusted), so it must be an
 * absolute path that cannot name another host ({@link #pathProblem}).
 */
public record SmokeCheck(String path, int status, String contains) {

    /** The longest path accepted. */
    public static final int MAX_PATH = 512;

    /** Why {@code path} is not an absolute path on the deployment's own host, or empty when it is one. */
    public static Optional<String> pathProblem(String path) {
        if (path == null || path.isEmpty()) {
            return Optional.of("a smoke check needs a path");
        }
        if (path.length() > MAX_PATH) {
            return Optional.of("a smoke check path may be at most " + MAX_PATH + " characters");
        }
        if (!path.startsWith("/") || path.startsWith("//")) {
            return Optional.of("smoke check path '" + shown(path) + "' must be an absolute path starting with one '/'");
        }
        if (path.contains("//") || path.contains("@") || path.contains("\\") || path.contains("://")) {
            return Optional.of("smoke check path '" + shown(path) + "' must not contain '//', '@', '\\' or a scheme");
        }
        if (path.chars().anyMatch(c -> c <= 0x20 || c == 0x7f || c == '#')) {
            return Optional.of("smoke check path '" + shown(path) + "' must not contain blanks, control characters or '#'");
        }
        return Optional.empty();
    }

    private static String shown(String path) {
        StringBuilder out = new StringBuilder();
        path.codePoints().limit(80).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }
}

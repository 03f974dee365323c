package io.slipway.common.policy;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds the paths of forge API calls from segments, each percent-encoded as one RFC 3986 path segment: whatever a
 * repository name, ref or id holds, it can neither add nor climb segments ({@code /}, {@code %}, {@code ?}, {@code #}
 * and {@code ..} arrive at the forge as data). Empty, {@code .} and {@code ..} segments are refused. Query strings
 * are encoded the same way, so a value can add no parameter.
 */
public final class ApiPaths {

    private static final String HEX = "0123456789ABCDEF";

    private ApiPaths() {
    }

    /**
     * {@code /seg1/seg2/...}, each segment encoded.
     *
     * @throws IllegalArgumentException for a null, empty, {@code .} or {@code ..} segment
     */
    public static String of(String... segments) {
        return of(List.of(segments));
    }

    /** As {@link #of(String...)}. */
    public static String of(List<String> segments) {
        StringBuilder path = new StringBuilder();
        for (String segment : segments) {
            path.append('/').append(segment(segment));
        }
        return path.toString();
    }

    /**
     * {@code /repos/{owner}/{repo}}: a GitHub (or Gitea) repository full name as its two path segments.
     *
     * @throws IllegalArgumentException when {@code fullName} is not a valid {@code owner/name}
     */
    public static String githubRepository(String fullName) {
        String[] parts = fullName == null ? new String[0] : fullName.split("/", -1);
        if (parts.length != 2 || Names.repositoryProblem(fullName).isPresent()) {
            throw new IllegalArgumentException("not a GitHub repository full name (owner/name): "
                    + Names.shown(String.valueOf(fullName)));
        }
        return of("repos", parts[0], parts[1]);
    }

    /**
     * {@code /projects/{id}}: a GitLab project path ({@code group/sub/project}) URL-encoded as one segment
     * ({@code group%2Fsub%2Fproject}), as GitLab's API documents for {@code :id}.
     *
     * @throws IllegalArgumentException when {@code path} is not a valid repository full name
     */
    public static String gitlabProject(String path) {
        if (Names.repositoryProblem(path).isPresent()) {
            throw new IllegalArgumentException("not a GitLab project path (group/project): "
                    + Names.shown(String.valueOf(path)));
        }
        return of("projects", path);
    }

    /**
     * {@code ?name1=value1&name2=value2}, names and values percent-encoded as segments are; a pair whose value is null
     * is left out, and no pair at all gives the empty string.
     *
     * @throws IllegalArgumentException for an odd number of arguments or an empty name
     */
    public static String query(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("a query needs names and values in pairs");
        }
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                query.append(query.isEmpty() ? '?' : '&').append(segment(namesAndValues[i])).append('=')
                        .append(namesAndValues[i + 1].isEmpty() ? "" : segment(namesAndValues[i + 1]));
            }
        }
        return query.toString();
    }

    /** One segment, percent-encoded: only RFC 3986 unreserved characters stay as they are. */
    static String segment(String value) {
        if (value == null || value.isEmpty() || value.equals(".") || value.equals("..")) {
            throw new IllegalArgumentException("an API path segment may not be empty, '.' or '..': "
                    + Names.shown(String.valueOf(value)));
        }
        StringBuilder encoded = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
            }
        }
        return encoded.toString();
    }
}

package io.slipway.common.policy;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one check of the names a webhook or API request brings, made at the door before they become events, paths or
 * URLs: repository full names ({@code owner/name}, GitLab subgroups and a bare repository's single name allowed;
 * segments of {@code [A-Za-z0-9._-]}, no {@code .} or {@code ..} segment, none starting with {@code -}, bounded
 * length), git refs (full {@code refs/...} names as {@code git check-ref-format} allows, without control, format or
 * space characters, also after Unicode NFKC normalisation), commit shas (40 or 64 hex digits), environment names
 * ({@code [a-z][a-z0-9-]{0,30}}) and the paths of smoke checks (absolute paths on the deployment's own URL that cannot
 * name another host). A refusal is an {@link Invalid} naming the request field.
 */
public final class Names {

    /** Longest repository full name (GitLab's limit for a full path). */
    public static final int MAX_REPOSITORY_LENGTH = 255;
    /** Most segments of a repository full name: GitLab nests at most 20 groups above a project. */
    public static final int MAX_REPOSITORY_SEGMENTS = 21;
    /** Longest ref, {@code refs/} included. */
    public static final int MAX_REF_LENGTH = 255;

    /** Longest smoke check path, query included. */
    public static final int MAX_SMOKE_PATH_LENGTH = 512;

    private static final Pattern ENVIRONMENT = Pattern.compile("[a-z][a-z0-9-]{0,30}");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}");
    private static final int SHOWN_CHARS = 80;

    /** A name refused at the door; {@link #field()} names the request field that carried it. */
    public static final class Invalid extends IllegalArgumentException {

        private final String field;

        Invalid(String field, String problem) {
            super("field '" + field + "' " + problem);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    private Names() {
    }

    /**
     * The repository full name in {@code value}, unchanged.
     *
     * @throws Invalid when it is missing or not a valid full name
     */
    public static String repository(String field, String value) {
        require(field, value);
        repositoryProblem(value).ifPresent(problem -> {
            throw new Invalid(field, "is not a repository full name (" + problem + "): " + shown(value));
        });
        return value;
    }

    /**
     * The full ref name in {@code value}, unchanged.
     *
     * @throws Invalid when it is missing or not a ref {@code git check-ref-format} accepts under {@code refs/}
     */
    public static String ref(String field, String value) {
        require(field, value);
        refProblem(value).ifPresent(problem -> {
            throw new Invalid(field, "is not a valid ref (" + problem + "): " + shown(value));
        });
        return value;
    }

    /**
     * The commit sha in {@code value}, in lower case.
     *
     * @throws Invalid when it is missing or not 40 (SHA-1) or 64 (SHA-256) hex digits
     */
    public static String sha(String field, String value) {
        require(field, value);
        if (!SHA.matcher(value).matches()) {
            throw new Invalid(field, "is not a commit sha (40 or 64 hex digits): " + shown(value));
        }
        return value.toLowerCase(Locale.ROOT);
    }

    /**
     * The environment name in {@code value}, unchanged.
     *
     * @throws Invalid when it is missing or not {@code [a-z][a-z0-9-]{0,30}}
     */
    public static String environment(String field, String value) {
        require(field, value);
        environmentProblem(value).ifPresent(problem -> {
            throw new Invalid(field, "is not an environment name (" + problem + "): " + shown(value));
        });
        return value;
    }

    /** Why {@code name} is not an environment name ({@code [a-z][a-z0-9-]{0,30}}), or empty when it is one. */
    public static Optional<String> environmentProblem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("empty");
        }
        return ENVIRONMENT.matcher(name).matches() ? Optional.empty()
                : Optional.of("a lower-case letter, then up to 30 lower-case letters, digits or '-'");
    }

    /**
     * Why {@code path} is not a smoke check path, or empty when it is one: an absolute path (with an optional query)
     * on the deployment's URL, at most {@link #MAX_SMOKE_PATH_LENGTH} characters, with no {@code //}, {@code @} or
     * {@code \} (nothing a URL parser could read as another host or user), no scheme, no fragment ({@code #}, never
     * sent to a server), no spaces or control characters.
     */
    public static Optional<String> smokePathProblem(String path) {
        if (path == null || path.isEmpty()) {
            return Optional.of("empty");
        }
        if (path.length() > MAX_SMOKE_PATH_LENGTH) {
            return Optional.of("longer than " + MAX_SMOKE_PATH_LENGTH + " characters");
        }
        if (!path.startsWith("/")) {
            return Optional.of("an absolute path starts with '/', e.g. /health; a scheme or host is not allowed");
        }
        for (int i = 0; i < path.length(); ) {
            int c = path.codePointAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || !printable(c)) {
                return Optional.of(String.format("character U+%04X is not allowed (write a space as %%20)", c));
            }
            i += Character.charCount(c);
        }
        for (String forbidden : new String[] {"//", "@", "\\", "#"}) {
            if (path.contains(forbidden)) {
                return Optional.of("contains '" + forbidden + "'");
            }
        }
        return Optional.empty();
    }

    /** Why {@code name} is not a repository full name, or empty when it is one. */
    public static Optional<String> repositoryProblem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("empty");
        }
        if (name.length() > MAX_REPOSITORY_LENGTH) {
            return Optional.of("longer than " + MAX_REPOSITORY_LENGTH + " characters");
        }
        String[] segments = name.split("/", -1);
        if (segments.length > MAX_REPOSITORY_SEGMENTS) {
            return Optional.of("more than " + MAX_REPOSITORY_SEGMENTS + " segments");
        }
        for (String segment : segments) {
            if (segment.isEmpty()) {
                return Optional.of("empty segment");
            }
            if (!SEGMENT.matcher(segment).matches()) {
                return Optional.of("segments may contain only A-Z, a-z, 0-9, '.', '_' and '-'");
            }
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of("'" + segment + "' segment");
            }
            if (segment.startsWith("-")) {
                return Optional.of("segment starting with '-'");
            }
        }
        return Optional.empty();
    }

    /** Why {@code ref} is not a full ref name, or empty when it is one. */
    public static Optional<String> refProblem(String ref) {
        if (ref == null || ref.isEmpty()) {
            return Optional.of("empty");
        }
        if (ref.length() > MAX_REF_LENGTH) {
            return Optional.of("longer than " + MAX_REF_LENGTH + " characters");
        }
        for (int i = 0; i < ref.length(); ) {
            int c = ref.codePointAt(i);
            if (!printable(c)) {
                return Optional.of(String.format("character U+%04X is not allowed", c));
            }
            i += Character.charCount(c);
        }
        Optional<String> problem = checkRefFormat(ref);
        if (problem.isPresent()) {
            return problem;
        }
        String normalised = Normalizer.normalize(ref, Normalizer.Form.NFKC);
        return normalised.equals(ref) ? Optional.empty()
                : checkRefFormat(normalised).map(p -> p + " once Unicode-normalised (NFKC)");
    }

    /** The rules of {@code git check-ref-format} (without {@code --allow-onelevel}), under {@code refs/}. */
    private static Optional<String> checkRefFormat(String ref) {
        if (!ref.startsWith("refs/")) {
            return Optional.of("a full ref starts with refs/, e.g. refs/heads/main");
        }
        if (ref.endsWith("/")) {
            return Optional.of("ends with '/'");
        }
        if (ref.endsWith(".")) {
            return Optional.of("ends with '.'");
        }
        if (ref.contains("..")) {
            return Optional.of("contains '..'");
        }
        if (ref.contains("@{")) {
            return Optional.of("contains '@{'");
        }
        for (char forbidden : new char[] {' ', '~', '^', ':', '?', '*', '[', '\\'}) {
            if (ref.indexOf(forbidden) >= 0) {
                return Optional.of("contains '" + forbidden + "'");
            }
        }
        for (String component : ref.split("/", -1)) {
            if (component.isEmpty()) {
                return Optional.of("empty component ('//')");
            }
            if (component.startsWith(".")) {
                return Optional.of("component starting with '.'");
            }
            if (component.endsWith(".lock")) {
                return Optional.of("component ending with '.lock'");
            }
        }
        return Optional.empty();
    }

    /** No ASCII controls or DEL; no Unicode controls, format characters, separators, private use or unassigned. */
    private static boolean printable(int c) {
        if (c < 0x20 || c == 0x7f) {
            return false;
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE, Character.UNASSIGNED,
                 Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            case Character.SPACE_SEPARATOR -> c == ' ';
            default -> true;
        };
    }

    private static void require(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new Invalid(field, "is missing or empty");
        }
    }

    /** The value, quoted, as it may be echoed in an answer or a log: non-printable characters escaped, bounded. */
    public static String shown(String value) {
        StringBuilder shown = new StringBuilder("'");
        for (int i = 0; i < value.length() && i < SHOWN_CHARS; i++) {
            char c = value.charAt(i);
            shown.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return shown.append(value.length() > SHOWN_CHARS ? "'…" : "'").toString();
    }
}

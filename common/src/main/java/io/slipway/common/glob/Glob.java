package io.slipway.common.glob;

import com.google.re2j.Pattern;
import io.slipway.common.cache.BoundedCache;

import java.util.Objects;

/**
 * The one glob over slash-separated names (repository full names, branches, tags) that every Slipway setting uses:
 * {@code *} any characters within one segment, {@code **} any characters across segments, {@code ?} one character
 * but {@code /}, {@code {a,b}} alternatives (not nested), {@code [a-z]} and {@code [!a-z]} one character of a class
 * (never {@code /}), {@code \} makes the next character literal; everything else matches itself. A glob matches the
 * whole name, case-sensitively; a name that is empty, has an empty, {@code .} or {@code ..} segment or a control
 * character is matched by no glob. Globs compile to RE2 (linear time whatever the pattern) and are remembered in a
 * bounded cache.
 */
public final class Glob {

    /** The longest pattern accepted, in characters. */
    public static final int MAX_LENGTH = 512;

    private static final BoundedCache<String, Glob> COMPILED = new BoundedCache<>(1024);

    private final String source;
    private final Pattern pattern;

    private Glob(String source) {
        this.source = source;
        this.pattern = Pattern.compile(regex(source), Pattern.DOTALL);
    }

    /**
     * The glob written as {@code glob} (surrounding blanks ignored).
     *
     * @throws IllegalArgumentException when it is blank, longer than {@link #MAX_LENGTH} or not a valid glob
     */
    public static Glob of(String glob) {
        String source = glob == null ? "" : glob.strip();
        if (source.isEmpty()) {
            throw new IllegalArgumentException("a glob must not be empty (use ** for every name)");
        }
        if (source.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a glob may be at most " + MAX_LENGTH + " characters, this one has "
                    + source.length());
        }
        return COMPILED.get(source, Glob::new);
    }

    /** Whether the glob matches the whole of {@code name}. */
    public boolean matches(String name) {
        return isName(name) && pattern.matches(name);
    }

    /** Whether any of {@code globs} matches {@code name}. */
    public static boolean any(Iterable<Glob> globs, String name) {
        for (Glob glob : globs) {
            if (glob.matches(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return name.codePoints().noneMatch(Character::isISOControl);
    }

    private static String regex(String glob) {
        StringBuilder regex = new StringBuilder();
        boolean inGroup = false;
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 == glob.length()) {
                        throw invalid(glob, "'\\' at the end escapes nothing");
                    }
                    int next = glob.codePointAt(i + 1);
                    literal(regex, next);
                    i += 1 + Character.charCount(next);
                    continue;
                }
                case '*' -> {
                    int stars = 1;
                    while (i + stars < glob.length() && glob.charAt(i + stars) == '*') {
                        stars++;
                    }
                    regex.append(stars > 1 ? ".*" : "[^/]*");
                    i += stars;
                    continue;
                }
                case '?' -> regex.append("[^/]");
                case '[' -> {
                    i = characterClass(glob, i, regex);
                    continue;
                }
                case '{' -> {
                    if (inGroup) {
                        throw invalid(glob, "'{' groups cannot be nested");
                    }
                    inGroup = true;
                    regex.append("(?:");
                }
                case ',' -> {
                    if (inGroup) {
                        regex.append('|');
                    } else {
                        literal(regex, c);
                    }
                }
                case '}' -> {
                    if (inGroup) {
                        inGroup = false;
                        regex.append(')');
                    } else {
                        literal(regex, c);
                    }
                }
                default -> {
                    int codePoint = glob.codePointAt(i);
                    literal(regex, codePoint);
                    i += Character.charCount(codePoint);
                    continue;
                }
            }
            i++;
        }
        if (inGroup) {
            throw invalid(glob, "'{' is not closed by '}'");
        }
        return regex.toString();
    }

    /** Appends the class starting at {@code open} ('[') and returns the index after its ']'. */
    private static int characterClass(String glob, int open, StringBuilder regex) {
        int i = open + 1;
        boolean negated = i < glob.length() && glob.charAt(i) == '!';
        if (negated) {
            i++;
        }
        StringBuilder items = new StringBuilder();
        boolean first = true;
        while (i < glob.length() && (glob.charAt(i) != ']' || first)) {
            int low = glob.codePointAt(i);
            i += Character.charCount(low);
            int high = low;
            if (i + 1 < glob.length() && glob.charAt(i) == '-' && glob.charAt(i + 1) != ']') {
                high = glob.codePointAt(i + 1);
                i += 1 + Character.charCount(high);
                if (high < low) {
                    throw invalid(glob, "the range '" + new String(Character.toChars(low)) + "-"
                            + new String(Character.toChars(high)) + "' is backwards");
                }
            }
            if (low <= '/' && '/' <= high) {
                throw invalid(glob, "a [class] cannot contain '/': * and ? never cross segments, ** does");
            }
            items.append(String.format("\\x{%X}", low));
            if (high != low) {
                items.append('-').append(String.format("\\x{%X}", high));
            }
            first = false;
        }
        if (i >= glob.length()) {
            throw invalid(glob, "'[' is not closed by ']'");
        }
        regex.append(negated ? "[^/" : "[").append(items).append(']');
        return i + 1;
    }

    private static void literal(StringBuilder regex, int codePoint) {
        if (codePoint < 128 && Character.isLetterOrDigit(codePoint)) {
            regex.appendCodePoint(codePoint);
        } else {
            regex.append(String.format("\\x{%X}", codePoint));
        }
    }

    private static IllegalArgumentException invalid(String glob, String why) {
        return new IllegalArgumentException("invalid glob '" + glob + "': " + why);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Glob glob && glob.source.equals(source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source);
    }

    @Override
    public String toString() {
        return source;
    }
}

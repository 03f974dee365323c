package io.slipway.tester.domain;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.slipway.common.cache.BoundedCache;

import java.util.function.Function;

/**
 * What container-structure-test inherits from Go and suites rely on: {@code regexp.MatchString} (RE2 syntax, match
 * anywhere in the text, {@code $} only at the end of the text), {@code os.Expand} ({@code $VAR}, {@code ${VAR}},
 * unknown names become empty) and {@code os.FileMode.String} ({@code drwxr-xr-x}, {@code Lrwxrwxrwx},
 * {@code urwxr-xr-x}). Java's own regexes differ (lookaround, backreferences, {@code $} before a final newline), so
 * they are not used for suite regexes.
 */
public final class GoSemantics {

    /** Suites come from repositories: remember their regexes, but not without end. */
    private static final BoundedCache<String, Pattern> PATTERNS = new BoundedCache<>(4096);

    private GoSemantics() {
    }

    /** Whether the RE2 {@code regex} matches anywhere in {@code text}, as Go's {@code regexp.MatchString}. */
    public static boolean matches(String regex, String text) {
        return PATTERNS.get(regex, GoSemantics::compile).matcher(text).find();
    }

    /** Compiles an RE2 regex; throws {@link IllegalArgumentException} with RE2's reason when it is not one. */
    public static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid RE2 regex '" + regex + "': " + e.getDescription(), e);
        }
    }

    /** Go's {@code os.Expand}: replaces {@code $name} and {@code ${name}} by {@code lookup(name)}. */
    public static String expand(String s, Function<String, String> lookup) {
        StringBuilder out = null;
        int i = 0;
        for (int j = 0; j < s.length(); j++) {
            if (s.charAt(j) == '$' && j + 1 < s.length()) {
                if (out == null) {
                    out = new StringBuilder(2 * s.length());
                }
                out.append(s, i, j);
                String rest = s.substring(j + 1);
                int[] width = new int[1];
                String name = shellName(rest, width);
                if (name.isEmpty() && width[0] == 0) {
                    out.append('$');
                } else if (!name.isEmpty()) {
                    String value = lookup.apply(name);
                    out.append(value == null ? "" : value);
                }
                j += width[0];
                i = j + 1;
            }
        }
        return out == null ? s : out.append(s.substring(i)).toString();
    }

    private static String shellName(String s, int[] width) {
        if (s.charAt(0) == '{') {
            if (s.length() > 2 && isSpecial(s.charAt(1)) && s.charAt(2) == '}') {
                width[0] = 3;
                return s.substring(1, 2);
            }
            int close = s.indexOf('}', 1);
            width[0] = close < 0 ? 1 : close + 1;
            return close <= 1 ? "" : s.substring(1, close);
        }
        if (isSpecial(s.charAt(0))) {
            width[0] = 1;
            return s.substring(0, 1);
        }
        int n = 0;
        while (n < s.length() && (Character.isLetterOrDigit(s.charAt(n)) && s.charAt(n) < 128 || s.charAt(n) == '_')) {
            n++;
        }
        width[0] = n;
        return s.substring(0, n);
    }

    private static boolean isSpecial(char c) {
        return "*#$@!?-0123456789".indexOf(c) >= 0;
    }

    /** Go's {@code FileMode.String()} of a file as the tar stream of {@code docker cp} describes it. */
    public static String modeString(FileType type, int mode) {
        StringBuilder s = new StringBuilder();
        append(s, type == FileType.DIRECTORY, 'd');
        append(s, type == FileType.SYMLINK, 'L');
        append(s, type == FileType.CHAR_DEVICE || type == FileType.BLOCK_DEVICE, 'D');
        append(s, type == FileType.FIFO, 'p');
        append(s, (mode & 04000) != 0, 'u');
        append(s, (mode & 02000) != 0, 'g');
        append(s, type == FileType.CHAR_DEVICE, 'c');
        append(s, (mode & 01000) != 0, 't');
        if (s.isEmpty()) {
            s.append('-');
        }
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            s.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        return s.toString();
    }

    private static void append(StringBuilder s, boolean set, char c) {
        if (set) {
            s.append(c);
        }
    }

    /** The kinds of entries a tar stream of the image's filesystem holds. */
    public enum FileType {
        FILE, DIRECTORY, SYMLINK, HARDLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO, OTHER
    }
}

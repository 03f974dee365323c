package io.slipway.common.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces configured secrets with {@value #MASK} wherever text from a run could show them, in the forms a build or a
 * tool commonly prints them: as written, base64 (standard and URL-safe, with or without padding, and inside a longer
 * base64 text at any of the three byte offsets, as in a {@code Basic} header), hex, and URL-encoded (any mix of
 * encoded and plain characters, either hex case, {@code +} or {@code %20} for a space). Each line of a multi-line
 * secret is also masked on its own; values shorter than {@value #MIN_LENGTH} characters are no real secret and would
 * garble the text, so they are not masked. A secret printed backwards or a character at a time is not recognised.
 */
public final class SecretMask {

    public static final String MASK = "****";
    public static final int MIN_LENGTH = 4;

    private static final SecretMask NONE = new SecretMask(List.of());
    private static final Pattern UNRESERVED = Pattern.compile("[A-Za-z0-9._~*-]*");

    private final List<String> literals;
    private final List<Pattern> urlEncoded;

    public SecretMask(Collection<String> secrets) {
        Set<String> parts = new LinkedHashSet<>();
        for (String secret : secrets) {
            if (secret != null) {
                String whole = secret.strip();
                if (whole.length() >= MIN_LENGTH) {
                    parts.add(whole);
                }
                secret.lines().map(String::strip).filter(s -> s.length() >= MIN_LENGTH).forEach(parts::add);
            }
        }
        Set<String> forms = new LinkedHashSet<>();
        List<Pattern> patterns = new ArrayList<>();
        for (String part : parts) {
            forms.addAll(forms(part));
            if (!UNRESERVED.matcher(part).matches()) {
                patterns.add(urlEncodedPattern(part));
            }
        }
        this.literals = forms.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        this.urlEncoded = List.copyOf(patterns);
    }

    /** A mask that masks nothing. */
    public static SecretMask none() {
        return NONE;
    }

    /** The text with every form of every secret replaced by {@value #MASK}. */
    public String apply(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String form : literals) {
            masked = masked.replace(form, MASK);
        }
        for (Pattern pattern : urlEncoded) {
            masked = pattern.matcher(masked).replaceAll(Matcher.quoteReplacement(MASK));
        }
        return masked;
    }

    /** The literal forms of one secret: itself, hex, and its base64 encodings and cores. */
    static Set<String> forms(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        Set<String> forms = new LinkedHashSet<>();
        forms.add(secret);
        String hex = HexFormat.of().formatHex(bytes);
        forms.add(hex);
        forms.add(hex.toUpperCase(Locale.ROOT));
        String padded = Base64.getEncoder().encodeToString(bytes);
        String unpadded = padded.replace("=", "");
        for (String base64 : List.of(padded, unpadded)) {
            forms.add(base64);
            forms.add(urlSafe(base64));
        }
        for (int offset = 0; offset < 3; offset++) {
            String core = base64Core(bytes, offset);
            if (core.length() >= MIN_LENGTH) {
                forms.add(core);
                forms.add(urlSafe(core));
            }
        }
        return forms;
    }

    /**
     * The characters of the base64 encoding of {@code bytes}, when they start {@code offset} bytes into a longer
     * text, that depend on these bytes alone: whatever comes before or after, an encoding of the longer text
     * contains them.
     */
    static String base64Core(byte[] bytes, int offset) {
        byte[] shifted = new byte[offset + bytes.length];
        System.arraycopy(bytes, 0, shifted, offset, bytes.length);
        String encoded = Base64.getEncoder().withoutPadding().encodeToString(shifted);
        int first = (offset * 8 + 5) / 6;
        int end = (offset + bytes.length) * 8 / 6;
        return first >= end ? "" : encoded.substring(first, end);
    }

    /** Matches the secret with any of its characters percent-encoded (either hex case) and a space as + or %20. */
    private static Pattern urlEncodedPattern(String secret) {
        StringBuilder regex = new StringBuilder();
        secret.codePoints().forEach(codePoint -> {
            String character = new String(Character.toChars(codePoint));
            if (UNRESERVED.matcher(character).matches()) {
                regex.append(Pattern.quote(character));
                return;
            }
            StringBuilder encoded = new StringBuilder();
            for (byte b : character.getBytes(StandardCharsets.UTF_8)) {
                String hex = HexFormat.of().toHexDigits(b);
                encoded.append('%').append('[').append(hex.charAt(0)).append(Character.toUpperCase(hex.charAt(0)))
                        .append(']').append('[').append(hex.charAt(1)).append(Character.toUpperCase(hex.charAt(1)))
                        .append(']');
            }
            regex.append("(?:").append(Pattern.quote(character)).append('|').append(encoded)
                    .append(codePoint == ' ' ? "|\\+" : "").append(')');
        });
        return Pattern.compile(regex.toString());
    }

    private static String urlSafe(String base64) {
        return base64.replace('+', '-').replace('/', '_');
    }
}

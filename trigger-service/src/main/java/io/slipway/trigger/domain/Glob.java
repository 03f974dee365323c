package io.slipway.trigger.domain;

import java.util.regex.Pattern;

/**
 * A glob over names such as branches, tags or repository full names, as CI users write them:
 * {@code *} matches within one path segment, {@code **} across segments, {@code ?} one character.
 */
public final class Glob {

    private final String source;
    private final Pattern pattern;

    private Glob(String source) {
        this.source = source;
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '*') {
                boolean doubleStar = i + 1 < source.length() && source.charAt(i + 1) == '*';
                regex.append(doubleStar ? ".*" : "[^/]*");
                if (doubleStar) {
                    i++;
                }
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        this.pattern = Pattern.compile(regex.toString());
    }

    public static Glob of(String glob) {
        return new Glob(glob);
    }

    public boolean matches(String name) {
        return pattern.matcher(name).matches();
    }

    @Override
    public String toString() {
        return source;
    }
}

package io.slipway.dashboard.web;

/**
 * Escaping for server-rendered pages: everything an event carries (commit messages, names, logs, test output) is
 * untrusted and goes into a page only through {@link #text} or {@link #attribute}.
 */
public final class Html {

    private Html() {
    }

    /** {@code value} as HTML text content ({@code & < > " '} escaped); null becomes the empty string. */
    public static String text(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code value} for a double-quoted attribute; the same escaping as {@link #text}. */
    public static String attribute(String value) {
        return text(value);
    }
}

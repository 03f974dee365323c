package io.slipway.common.text;

import java.util.regex.Pattern;

/**
 * Makes text written for a terminal safe to show elsewhere (events, Slack, issues, logs): ANSI/VT escape sequences
 * (colours, cursor moves, OSC titles and hyperlinks, DCS strings, in their 7-bit and 8-bit forms) are removed, and so
 * is every other control or invisible formatting character except newline and tab (a carriage return, bidi override
 * or zero-width character could hide or reorder what a reader sees). Nothing is replaced by a space, so a secret
 * split by escape sequences becomes whole again before it is masked.
 */
public final class TerminalText {

    private static final Pattern ESCAPES = Pattern.compile(String.join("|",
            // OSC (ESC ] or 0x9d), ended by BEL or ST; unterminated, it ends with its line
            "(?:\\x1b\\]|\\x{9d})[^\\n]*?(?:\\x07|\\x1b\\\\|\\x{9c}|(?=\\n)|$)",
            // DCS, SOS, PM, APC strings, ended by ST (or their line)
            "(?:\\x1b[PX^_]|[\\x{90}\\x{98}\\x{9e}\\x{9f}])[^\\n]*?(?:\\x1b\\\\|\\x{9c}|(?=\\n)|$)",
            // CSI (ESC [ or 0x9b): parameters, intermediates, final byte
            "(?:\\x1b\\[|\\x{9b})[0-?]*[ -/]*[@-~]?",
            // other escape sequences: ESC, intermediates, final byte
            "\\x1b[ -/]*[0-~]?"));
    private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cc}\\p{Cf}&&[^\\n\\t]]");

    private TerminalText() {
    }

    /** The text without escape sequences and control characters; {@code \r\n} becomes {@code \n}. */
    public static String strip(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String withoutEscapes = ESCAPES.matcher(text.replace("\r\n", "\n")).replaceAll("");
        return INVISIBLE.matcher(withoutEscapes).replaceAll("");
    }
}

package io.slipway.notifier.domain;

import io.slipway.common.text.SecretMask;
import io.slipway.common.text.TerminalText;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes text from a run safe to post where people read it: terminal escapes and control characters are removed
 * ({@link TerminalText}), credentials are masked (the service's own configured secrets in every form {@link SecretMask}
 * knows, tokens of well-known formats, {@code password=…}-style assignments, authorization headers, URL userinfo,
 * private keys) and the text is cut to its last lines within a size bound, because the end of a log says why it failed.
 */
public final class LogExcerpt {

    public static final String MASK = SecretMask.MASK;

    private static final List<Pattern> TOKENS = List.of(
            Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|\\z)", Pattern.DOTALL),
            Pattern.compile("\\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\\w{20,}|glpat-[\\w-]{20,}|xox[abposr]-[\\w-]{10,}"
                    + "|AKIA[0-9A-Z]{16}|eyJ[\\w-]{10,}\\.[\\w-]{10,}\\.[\\w-]{10,})"),
            Pattern.compile("https://hooks\\.slack\\.com/services/[\\w/]+"));
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "(?i)\\b([\\w.-]*(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|credentials?)[\"']?\\s*[=:]\\s*[\"']?)"
                    + "[^\\s\"',;]+");
    private static final Pattern AUTHORIZATION = Pattern.compile("(?i)\\b((?:authorization|private-token|x-gitlab-token)"
            + ":\\s*(?:bearer\\s+|basic\\s+|token\\s+)?)\\S+");
    private static final Pattern USERINFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s:@]+:[^/\\s@]+@");

    private LogExcerpt() {
    }

    /** The text without terminal escapes, every credential replaced by {@link #MASK}. */
    public static String mask(String text, SecretMask secrets) {
        String masked = secrets.apply(TerminalText.strip(text));
        for (Pattern token : TOKENS) {
            masked = token.matcher(masked).replaceAll(MASK);
        }
        masked = ASSIGNMENT.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + MASK);
        masked = AUTHORIZATION.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + MASK);
        return USERINFO.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + MASK + "@");
    }

    /** The last whole lines of the text that fit in {@code maxChars}, marked when earlier lines were cut. */
    public static String tail(String text, int maxChars) {
        String trimmed = text.strip();
        if (trimmed.length() <= maxChars) {
            return trimmed;
        }
        String marker = "… (earlier lines cut)\n";
        String end = trimmed.substring(trimmed.length() - Math.max(0, maxChars - marker.length()));
        int newline = end.indexOf('\n');
        return marker + (newline >= 0 && newline < end.length() - 1 ? end.substring(newline + 1) : end);
    }

    /** Masked, bounded, and unable to close the code block it is shown in. */
    public static String safe(String text, int maxChars, SecretMask secrets) {
        return tail(mask(text, secrets), maxChars).replace("```", "``\u200b`");
    }
}

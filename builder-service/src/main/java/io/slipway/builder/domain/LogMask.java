package io.slipway.builder.domain;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces configured secrets in log lines with {@code ****}, as CI servers mask credentials: each line of a
 * multi-line secret is masked on its own, longer secrets first; values shorter than {@value #MIN_LENGTH}
 * characters are not masked (they would garble the log and are no real secret).
 */
public final class LogMask {

    static final int MIN_LENGTH = 4;
    private static final String MASK = "****";

    private final List<String> secrets;

    public LogMask(Collection<String> secrets) {
        Set<String> parts = new LinkedHashSet<>();
        for (String secret : secrets) {
            if (secret != null) {
                secret.lines().map(String::strip).filter(s -> s.length() >= MIN_LENGTH).forEach(parts::add);
            }
        }
        this.secrets = parts.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    public String apply(String line) {
        String masked = line;
        for (String secret : secrets) {
            masked = masked.replace(secret, MASK);
        }
        return masked;
    }
}

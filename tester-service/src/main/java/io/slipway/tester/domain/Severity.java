package io.slipway.tester.domain;

import java.util.Locale;

/**
 * What a failing check does to the run: {@code FAIL} stops the image, {@code WARN} is reported and counts towards
 * the warning threshold, {@code OFF} (built-in policies only) does not run the check at all.
 */
public enum Severity {
    FAIL,
    WARN,
    OFF;

    /** Parses {@code fail}, {@code warn} or {@code off}, in any case. */
    public static Severity parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("severity must be fail, warn or off, was '" + value + "'", e);
        }
    }
}

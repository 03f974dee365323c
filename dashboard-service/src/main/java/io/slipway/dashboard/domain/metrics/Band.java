package io.slipway.dashboard.domain.metrics;

import java.time.Duration;

/**
 * DORA performance bands, with the thresholds of the 2021 Accelerate State of DevOps report (the last one to publish
 * four bands for all four metrics). Where that report leaves a gap between two bands, the value goes to the slower
 * one's better side (e.g. lead time between one hour and one day is high); its high, medium and low change failure
 * rates share one range (16–30 %), so above 15 % is high up to 30 % and low beyond.
 */
public enum Band {
    ELITE, HIGH, MEDIUM, LOW;

    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration WEEK = Duration.ofDays(7);
    private static final Duration SIX_MONTHS = Duration.ofDays(183);

    /** Elite: on demand (at least daily); high: at least monthly; medium: at least every six months; low: less. */
    public static Band ofFrequency(double perDay) {
        if (perDay >= 1) {
            return ELITE;
        }
        if (perDay >= 1 / 30.0) {
            return HIGH;
        }
        return perDay >= 1 / 183.0 ? MEDIUM : LOW;
    }

    /** Elite: under an hour; high: under a week; medium: under six months; low: longer. */
    public static Band ofLeadTime(Duration median) {
        return below(median, HOUR, WEEK, SIX_MONTHS);
    }

    /** Elite: up to 15 %; high: up to 30 %; low: more (the report's medium shares the high range). */
    public static Band ofFailureRate(double rate) {
        if (rate <= 0.15) {
            return ELITE;
        }
        return rate <= 0.30 ? HIGH : LOW;
    }

    /** Elite: under an hour; high: under a day; medium: under a week; low: longer. */
    public static Band ofRestore(Duration median) {
        return below(median, HOUR, DAY, WEEK);
    }

    /** The band of a duration: elite below {@code elite}, high below {@code high}, medium below {@code medium}. */
    private static Band below(Duration value, Duration elite, Duration high, Duration medium) {
        if (value.compareTo(elite) < 0) {
            return ELITE;
        }
        if (value.compareTo(high) < 0) {
            return HIGH;
        }
        return value.compareTo(medium) < 0 ? MEDIUM : LOW;
    }

    /** The band's name as pages show it: "elite", "high", "medium", "low". */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

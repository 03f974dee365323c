package io.slipway.dashboard.domain.metrics;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A metrics period as the page names it: the last 7, 30 or 90 UTC days, today included (so its days are whole and
 * the daily charts line up). Anything else is refused.
 */
public enum Period {
    DAYS_7("7d", 7), DAYS_30("30d", 30), DAYS_90("90d", 90);

    private final String name;
    private final int days;

    Period(String name, int days) {
        this.name = name;
        this.days = days;
    }

    /** The period named {@code name} ("7d", "30d" or "90d"); empty for anything else. */
    public static Optional<Period> named(String name) {
        for (Period period : values()) {
            if (period.name.equals(name)) {
                return Optional.of(period);
            }
        }
        return Optional.empty();
    }

    /** The name a page and a URL use: "7d", "30d", "90d". */
    public String label() {
        return name;
    }

    /** The end of the period that contains {@code now}: the start of the next UTC day. */
    public Instant end(Instant now) {
        return now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).plusDays(1).toInstant();
    }

    /** The start of the period that contains {@code now}. */
    public Instant start(Instant now) {
        return end(now).minus(Duration.ofDays(days));
    }
}

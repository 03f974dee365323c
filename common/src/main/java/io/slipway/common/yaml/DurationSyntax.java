package io.slipway.common.yaml;

import java.time.Duration;

/**
 * The one duration syntax of Slipway's YAML files: Go's {@code time.ParseDuration} form restricted to whole numbers,
 * one or more {@code <number><unit>} pairs with the units {@code h}, {@code m}, {@code s} and {@code ms}
 * ({@code 90s}, {@code 20m}, {@code 1h30m}, {@code 500ms}). No sign, no fraction, no bare number (is {@code 30}
 * seconds or milliseconds?), nothing above Go's limit (about 2,562,047 hours), and never zero.
 */
public final class DurationSyntax {

    /** How messages show the syntax. */
    public static final String EXAMPLES = "90s, 20m, 1h30m or 500ms";

    private static final long NANOS_PER_HOUR = 3_600_000_000_000L;

    private DurationSyntax() {
    }

    /**
     * Writes a duration in this syntax, for messages: whole milliseconds below ten seconds when they are not whole
     * seconds ({@code 250ms}, {@code 1600ms}), otherwise whole hours, minutes and seconds ({@code 3s}, {@code 2m30s},
     * {@code 1h5m}); what is below the unit shown is dropped.
     */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000 || millis < 10_000 && millis % 1000 != 0) {
            return millis + "ms";
        }
        long seconds = millis / 1000;
        StringBuilder text = new StringBuilder();
        if (seconds >= 3600) {
            text.append(seconds / 3600).append('h');
        }
        if (seconds % 3600 >= 60) {
            text.append(seconds % 3600 / 60).append('m');
        }
        if (seconds % 60 > 0 || text.isEmpty()) {
            text.append(seconds % 60).append('s');
        }
        return text.toString();
    }

    /**
     * Parses {@code text}, ignoring surrounding blanks.
     *
     * @throws IllegalArgumentException when it is not such a duration; the message says why when more can be said
     *                                  than "not a duration" (a missing unit, zero, too long), else it is empty
     */
    public static Duration parse(String text) {
        String value = text.strip();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("");
        }
        long nanos = 0;
        int i = 0;
        while (i < value.length()) {
            int start = i;
            while (i < value.length() && value.charAt(i) >= '0' && value.charAt(i) <= '9') {
                i++;
            }
            if (i == start) {
                throw new IllegalArgumentException("");
            }
            String digits = value.substring(start, i);
            long unit;
            if (value.startsWith("ms", i)) {
                unit = 1_000_000L;
                i += 2;
            } else if (i < value.length() && "hms".indexOf(value.charAt(i)) >= 0) {
                unit = switch (value.charAt(i)) {
                    case 'h' -> NANOS_PER_HOUR;
                    case 'm' -> 60_000_000_000L;
                    default -> 1_000_000_000L;
                };
                i++;
            } else if (i == value.length()) {
                throw new IllegalArgumentException("a number needs a unit, e.g. " + digits + "s");
            } else {
                throw new IllegalArgumentException("");
            }
            try {
                nanos = Math.addExact(nanos, Math.multiplyExact(Long.parseLong(digits), unit));
            } catch (ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException("at most " + Long.MAX_VALUE / NANOS_PER_HOUR + "h", e);
            }
        }
        if (nanos == 0) {
            throw new IllegalArgumentException("it must be more than zero");
        }
        return Duration.ofNanos(nanos);
    }
}

package io.slipway.openstack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads settings from an environment map and collects every problem, so one CONFIG_INVALID names them all. */
final class Env {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    Env(Map<String, String> env) {
        this.env = env;
    }

    String get(String key, String fallback) {
        String value = env.get(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    String required(String key) {
        String value = get(key, null);
        if (value == null) {
            problems.add(key + " is not set");
        }
        return value;
    }

    int integer(String key, int fallback) {
        String value = get(key, null);
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            problems.add(key + " is not a number: " + value);
            return fallback;
        }
    }

    /** {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h} or ISO-8601 ({@code PT10M}). */
    Duration duration(String key, Duration fallback) {
        String value = get(key, null);
        if (value == null) {
            return fallback;
        }
        Matcher m = DURATION.matcher(value);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        try {
            return Duration.parse(value);
        } catch (RuntimeException e) {
            problems.add(key + " is not a duration (30s, 10m, 2h): " + value);
            return fallback;
        }
    }

    /** A comma-separated list; empty when unset. */
    List<String> list(String key) {
        String value = get(key, "");
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    void problem(String text) {
        problems.add(text);
    }

    /** Throws CONFIG_INVALID naming every problem found so far. */
    void validate(String what) {
        if (!problems.isEmpty()) {
            throw new VmImageException(VmFailureReason.CONFIG_INVALID, what + ": " + String.join("; ", problems));
        }
    }
}

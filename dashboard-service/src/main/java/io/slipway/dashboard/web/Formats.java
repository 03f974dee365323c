package io.slipway.dashboard.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the pages show times, durations, digests and links; every result is already escaped HTML. */
final class Formats {

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Formats() {
    }

    /** A {@code <time>} element, or an empty string for null. */
    static String time(Instant instant) {
        if (instant == null) {
            return "";
        }
        return "<time datetime=\"" + Html.attribute(instant.toString()) + "\">" + Html.text(SHOWN.format(instant))
                + "</time>";
    }

    /** A duration as {@code 1h 02m}, {@code 3m 05s} or {@code 4s}; empty when either end is unknown. */
    static String duration(Instant from, Instant to) {
        if (from == null || to == null) {
            return "";
        }
        return duration(Duration.between(from, to));
    }

    /** A duration as {@code 1h 02m}, {@code 3m 05s} or {@code 4s} (a negative one as {@code 0s}); empty for null. */
    static String duration(Duration duration) {
        if (duration == null) {
            return "";
        }
        long seconds = Math.max(duration.toSeconds(), 0);
        if (seconds >= 3600) {
            return String.format("%dh %02dm", seconds / 3600, seconds % 3600 / 60);
        }
        if (seconds >= 60) {
            return String.format("%dm %02ds", seconds / 60, seconds % 60);
        }
        return seconds + "s";
    }

    /** The first 12 characters of a sha or of a digest's hex, escaped. */
    static String shortHash(String value) {
        if (value == null) {
            return "";
        }
        String hex = value.startsWith("sha256:") ? value.substring("sha256:".length()) : value;
        return Html.text(hex.length() > 12 ? hex.substring(0, 12) : hex);
    }

    /**
     * A link to {@code url} with {@code label} (escaped) when it is an http(s) address; only the label otherwise, so an
     * event cannot put a {@code javascript:} link in a page.
     */
    static String link(String url, String label) {
        if (!isWebAddress(url)) {
            return Html.text(label);
        }
        return "<a href=\"" + Html.attribute(url) + "\" rel=\"noopener noreferrer\">" + Html.text(label) + "</a>";
    }

    static boolean isWebAddress(String url) {
        if (url == null || url.isBlank()) {
            return false;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            return uri.getHost() != null && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** A status badge: the status name with its class for the colour. */
    static String status(String status) {
        String name = status == null ? "UNKNOWN" : status;
        return "<span class=\"status status-" + Html.attribute(name.toLowerCase(Locale.ROOT)) + "\">"
                + Html.text(name) + "</span>";
    }
}

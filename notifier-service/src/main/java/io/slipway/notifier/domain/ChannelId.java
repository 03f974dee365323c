package io.slipway.notifier.domain;

import java.util.Locale;

/**
 * Names one delivery channel: a Slack webhook, the issues of a forge, the commit statuses of a forge, or the comments a
 * forge gets on pull and merge requests, or the deployments of a forge. Each channel has its own queue position,
 * retries and memory, so one channel never delays another. Written {@code slack:ops}, {@code issues:github},
 * {@code status:github}, {@code requests:github}, {@code deployments:github}.
 */
public record ChannelId(Type type, String name) {

    /** The kinds of channel. */
    public enum Type { SLACK, ISSUES, STATUS, REQUESTS, DEPLOYMENTS }

    public ChannelId {
        if (name == null || name.isBlank() || name.contains(":") || name.contains("|")) {
            throw new IllegalArgumentException("a channel name must be non-blank without ':' or '|', was " + name);
        }
    }

    /** Parses the {@link #toString()} form. */
    public static ChannelId parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("not a channel id: " + text);
        }
        return new ChannelId(Type.valueOf(text.substring(0, colon).toUpperCase(Locale.ROOT)), text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return type.name().toLowerCase(Locale.ROOT) + ":" + name;
    }
}

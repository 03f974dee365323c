package io.slipway.notifier.domain;

/**
 * Port: a chat destination (a Slack incoming webhook) that announces an outcome to people in one message.
 * Throws {@link ChannelUnavailable} for faults worth retrying and {@link NotificationRejected} for a refusal.
 */
public interface ChatChannel {
    void announce(Notification notification);
}

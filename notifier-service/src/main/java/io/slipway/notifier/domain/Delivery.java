package io.slipway.notifier.domain;

/** A notification bound for one channel: the unit that is queued, retried, deduplicated and dead-lettered. */
public record Delivery(ChannelId channel, Notification notification) {
}

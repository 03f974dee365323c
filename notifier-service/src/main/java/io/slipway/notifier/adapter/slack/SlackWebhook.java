package io.slipway.notifier.adapter.slack;

import io.slipway.notifier.adapter.http.JsonHttp;
import io.slipway.notifier.domain.ChatChannel;
import io.slipway.notifier.domain.Notification;

import java.net.URI;
import java.util.Map;

/**
 * A Slack incoming webhook: one {@code POST} of a Block Kit message per notification; Slack answers 200 {@code ok}.
 * The webhook URL is a secret and never appears in a message or log; the channel is named {@code slack:<name>}.
 */
public final class SlackWebhook implements ChatChannel {

    private final String name;
    private final URI webhookUrl;
    private final JsonHttp http;
    private final BlockKitMessage message;

    public SlackWebhook(String name, URI webhookUrl, JsonHttp http, BlockKitMessage message) {
        this.name = name;
        this.webhookUrl = webhookUrl;
        this.http = http;
        this.message = message;
    }

    @Override
    public void announce(Notification notification) {
        http.send("POST", webhookUrl, Map.of(), message.render(notification), "slack:" + name);
    }

    @Override
    public String toString() {
        return "slack:" + name;
    }
}

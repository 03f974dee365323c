package io.slipway.notifier.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;

/**
 * One entry of {@code slipway.notifier.slack}: a named Slack incoming webhook. The URL is a secret (whoever has it
 * can post): set it from the environment. An entry without a URL is declared but disabled.
 */
@EachProperty(value = "slipway.notifier.slack", list = true)
public record SlackProperties(@Parameter Integer index, @Nullable String name, @Nullable String webhookUrl) {

    public boolean enabled() {
        return webhookUrl != null && !webhookUrl.isBlank();
    }

    @Override
    public String toString() {
        return "SlackProperties[name=" + name + ", webhookUrl=" + (enabled() ? "****" : "") + "]";
    }
}

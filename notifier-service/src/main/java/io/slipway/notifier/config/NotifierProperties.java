package io.slipway.notifier.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import io.slipway.common.links.RunLinks;

import java.time.Duration;

/**
 * notifier-service settings beyond its channels and routes: links put into messages, bounds, and the retry budget of
 * one call to a channel. Links are templates: {@code runUrl} gets {@code {runId}} and {@code {attempt}}, and is the
 * run page of the dashboard at {@code dashboardUrl} unless set; {@code artifactUrl} gets {@code {registry}},
 * {@code {repository}} and {@code {digest}}.
 */
@ConfigurationProperties("slipway.notifier")
public record NotifierProperties(@Nullable String runUrl,
                                 @Bindable(defaultValue = RunLinks.DEFAULT_DASHBOARD_URL) String dashboardUrl,
                                 @Bindable(defaultValue = "https://{registry}/v2/{repository}/manifests/{digest}") String artifactUrl,
                                 @Bindable(defaultValue = "10s") Duration requestTimeout,
                                 @Bindable(defaultValue = "500") int dedupeWindow,
                                 @Bindable(defaultValue = "4000") int logExcerptChars,
                                 Retry retry) {

    /**
     * How long one call is retried while a channel is unavailable ({@code budget}, from the call's first failure),
     * with exponential backoff from {@code initialBackoff} to {@code maxBackoff}; a {@code Retry-After} is honoured
     * up to {@code maxRetryAfter}.
     */
    @ConfigurationProperties("retry")
    public record Retry(@Bindable(defaultValue = "20m") Duration budget,
                        @Bindable(defaultValue = "1s") Duration initialBackoff,
                        @Bindable(defaultValue = "5m") Duration maxBackoff,
                        @Bindable(defaultValue = "15m") Duration maxRetryAfter) {
    }
}

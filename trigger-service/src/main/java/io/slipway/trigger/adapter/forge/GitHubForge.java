package io.slipway.trigger.adapter.forge;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.trigger.adapter.forge.ForgeSupport.SignatureHeader;
import io.slipway.trigger.domain.Push;
import io.slipway.trigger.domain.RequestEvent;
import io.slipway.trigger.domain.RequestEvent.Action;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * GitHub's webhooks: {@code X-GitHub-Event} ({@code push}, {@code pull_request} and {@code ping}),
 * {@code X-GitHub-Delivery}, and {@code X-Hub-Signature-256: sha256=<hex>}, the HMAC-SHA256 of the raw body with the
 * hook's secret. A pull request opened or marked ready for review is OPENED, {@code synchronize} UPDATED, closed
 * (merged or not) CLOSED, {@code labeled}/{@code unlabeled} LABELED.
 */
public final class GitHubForge extends HeaderForge {

    private static final SignatureHeader SIGNATURE = new SignatureHeader("X-Hub-Signature-256", "sha256=");
    private static final Map<String, Action> ACTIONS = Map.of("opened", Action.OPENED,
            "ready_for_review", Action.OPENED, "synchronize", Action.UPDATED, "reopened", Action.REOPENED,
            "closed", Action.CLOSED, "labeled", Action.LABELED, "unlabeled", Action.LABELED);

    public GitHubForge() {
        this(Clock.systemUTC());
    }

    GitHubForge(Clock clock) {
        super("github", clock, List.of("X-GitHub-Event"), "", List.of("X-GitHub-Delivery"),
                Map.of("push", EventKind.PUSH, "pull_request", EventKind.REQUEST, "ping", EventKind.PING));
    }

    @Override
    public String repository(JsonNode body) {
        return HubPushPayload.repository(body);
    }

    @Override
    public Authentication authenticate(Function<String, String> headers, byte[] rawBody, String secret) {
        return ForgeSupport.hmac(headers, rawBody, secret, SIGNATURE);
    }

    @Override
    public Push push(JsonNode body, String deliveryId) {
        return HubPushPayload.push(name(), body, deliveryId, clock.instant());
    }

    @Override
    public RequestEvent request(JsonNode body, String deliveryId) {
        return HubPullRequestPayload.request(name(), body, deliveryId, ACTIONS, clock.instant());
    }
}

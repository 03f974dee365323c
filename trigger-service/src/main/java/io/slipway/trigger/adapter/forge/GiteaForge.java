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
 * Gitea's webhooks, also sent by Forgejo and Gogs under their own header names: the event and delivery in
 * {@code X-Gitea-*}, {@code X-Forgejo-*} or {@code X-Gogs-*}, and the HMAC-SHA256 of the raw body as bare hex in
 * {@code X-Forgejo-Signature} / {@code X-Gitea-Signature}, or GitHub-style in {@code X-Hub-Signature-256}. Every
 * change to a pull request arrives as event {@code pull_request} (its finer type, e.g. {@code pull_request_sync}, is
 * only in {@code X-Gitea-Event-Type}), told apart by {@code action}: {@code opened}, {@code synchronized} (UPDATED),
 * {@code reopened}, {@code closed} (also when merged), {@code label_updated}/{@code label_cleared} (LABELED).
 */
public final class GiteaForge extends HeaderForge {

    private static final SignatureHeader[] SIGNATURES = {
            new SignatureHeader("X-Forgejo-Signature", ""),
            new SignatureHeader("X-Gitea-Signature", ""),
            new SignatureHeader("X-Hub-Signature-256", "sha256="),
    };
    private static final Map<String, Action> ACTIONS = Map.of("opened", Action.OPENED,
            "synchronized", Action.UPDATED, "reopened", Action.REOPENED, "closed", Action.CLOSED,
            "label_updated", Action.LABELED, "label_cleared", Action.LABELED);

    public GiteaForge() {
        this(Clock.systemUTC());
    }

    GiteaForge(Clock clock) {
        super("gitea", clock, List.of("X-Gitea-Event", "X-Forgejo-Event", "X-Gogs-Event"), "",
                List.of("X-Gitea-Delivery", "X-Forgejo-Delivery", "X-Gogs-Delivery"),
                Map.of("push", EventKind.PUSH, "pull_request", EventKind.REQUEST));
    }

    @Override
    public String repository(JsonNode body) {
        return HubPushPayload.repository(body);
    }

    @Override
    public Authentication authenticate(Function<String, String> headers, byte[] rawBody, String secret) {
        return ForgeSupport.hmac(headers, rawBody, secret, SIGNATURES);
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

package io.slipway.trigger.adapter.forge;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.trigger.adapter.forge.ForgeSupport.SignatureHeader;
import io.slipway.trigger.domain.Push;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Gitea's webhooks, also sent by Forgejo and Gogs under their own header names: the event and delivery in
 * {@code X-Gitea-*}, {@code X-Forgejo-*} or {@code X-Gogs-*}, and the HMAC-SHA256 of the raw body as bare hex in
 * {@code X-Forgejo-Signature} / {@code X-Gitea-Signature}, or GitHub-style in {@code X-Hub-Signature-256}.
 */
public final class GiteaForge extends HeaderForge {

    private static final SignatureHeader[] SIGNATURES = {
            new SignatureHeader("X-Forgejo-Signature", ""),
            new SignatureHeader("X-Gitea-Signature", ""),
            new SignatureHeader("X-Hub-Signature-256", "sha256="),
    };

    public GiteaForge() {
        this(Clock.systemUTC());
    }

    GiteaForge(Clock clock) {
        super("gitea", clock, List.of("X-Gitea-Event", "X-Forgejo-Event", "X-Gogs-Event"), "",
                List.of("X-Gitea-Delivery", "X-Forgejo-Delivery", "X-Gogs-Delivery"), Map.of("push", EventKind.PUSH));
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
}

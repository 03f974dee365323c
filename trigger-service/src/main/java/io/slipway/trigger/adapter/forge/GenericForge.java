package io.slipway.trigger.adapter.forge;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.trigger.adapter.forge.ForgeSupport.HeadCommit;
import io.slipway.trigger.adapter.forge.ForgeSupport.SignatureHeader;
import io.slipway.trigger.domain.Push;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Slipway's own webhook for anything that can POST (the {@code post-receive} hook among others), documented in
 * {@code docs/generic-webhook.md}: one pushed ref per request, signed GitHub-style with
 * {@code X-Slipway-Signature-256: sha256=<hex>}. The sha must be a full commit sha and the ref a full ref name;
 * the all-zero sha reports a deletion, which needs no author.
 */
public final class GenericForge extends HeaderForge {

    private static final SignatureHeader SIGNATURE = new SignatureHeader("X-Slipway-Signature-256", "sha256=");

    public GenericForge() {
        this(Clock.systemUTC());
    }

    GenericForge(Clock clock) {
        super("generic", clock, List.of("X-Slipway-Event"), "push", List.of("X-Slipway-Delivery"),
                Map.of("push", EventKind.PUSH, "ping", EventKind.PING));
    }

    @Override
    public String repository(JsonNode body) {
        return ForgeSupport.repository(body, "repository");
    }

    @Override
    public Authentication authenticate(Function<String, String> headers, byte[] rawBody, String secret) {
        return ForgeSupport.hmac(headers, rawBody, secret, SIGNATURE);
    }

    @Override
    public Push push(JsonNode body, String deliveryId) {
        String repository = repository(body);
        String cloneUrl = Json.required(body, "cloneUrl");
        String ref = ForgeSupport.ref(body, "ref");
        String sha = ForgeSupport.commitSha("sha", Json.required(body, "sha"));
        boolean deleted = Push.ZERO_SHA.equals(sha);
        Instant now = clock.instant();
        HeadCommit head = deleted && Json.at(body, "author") == null
                ? new HeadCommit(Json.optional(body, "message", ""), "", null, now)
                : HeadCommit.of(body, "", now);
        return head.toPush(name(), deliveryId, repository, cloneUrl, Json.optional(body, "webUrl", null), ref, sha,
                deleted);
    }
}

package io.slipway.trigger.adapter.forge;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.trigger.adapter.forge.ForgeSupport.HeadCommit;
import io.slipway.trigger.adapter.forge.ForgeSupport.SignatureHeader;
import io.slipway.trigger.adapter.forge.RequestFields.Source;
import io.slipway.trigger.domain.InvalidPayload;
import io.slipway.trigger.domain.Push;
import io.slipway.trigger.domain.RequestEvent;
import io.slipway.trigger.domain.RequestEvent.Action;
import io.slipway.trigger.domain.RequestEvent.Kind;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Slipway's own webhook for anything that can POST (the {@code post-receive} hook among others), documented in
 * {@code docs/generic-webhook.md}: one pushed ref, or one pull/merge request event ({@code X-Slipway-Event: request}),
 * per request, signed GitHub-style with {@code X-Slipway-Signature-256: sha256=<hex>}. The sha must be a full commit
 * sha and the ref a full ref name; the all-zero sha reports a deletion, which needs no author. A request event is a
 * fork's when its {@code sourceRepository} is not the {@code repository}.
 */
public final class GenericForge extends HeaderForge {

    private static final SignatureHeader SIGNATURE = new SignatureHeader("X-Slipway-Signature-256", "sha256=");
    private static final Map<String, Action> ACTIONS = Map.of("opened", Action.OPENED, "updated", Action.UPDATED,
            "reopened", Action.REOPENED, "closed", Action.CLOSED, "labeled", Action.LABELED, "other", Action.OTHER);
    private static final Map<String, Kind> KINDS = Map.of("pull", Kind.PULL, "merge", Kind.MERGE);

    public GenericForge() {
        this(Clock.systemUTC());
    }

    GenericForge(Clock clock) {
        super("generic", clock, List.of("X-Slipway-Event"), "push", List.of("X-Slipway-Delivery"),
                Map.of("push", EventKind.PUSH, "request", EventKind.REQUEST, "ping", EventKind.PING));
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
                deleted, ForgeSupport.before(body, "before"));
    }

    @Override
    public RequestEvent request(JsonNode body, String deliveryId) {
        String repository = repository(body);
        String cloneUrl = Json.required(body, "cloneUrl");
        Action action = oneOf(body, "request.action", ACTIONS, null);
        Kind kind = oneOf(body, "request.kind", KINDS, Kind.PULL);
        int number = RequestFields.number(body, "request.number");
        Source from = Json.at(body, "request.sourceRepository") == null ? new Source(repository, false)
                : Source.named(body, "request", "sourceRepository", repository);
        return new RequestEvent(name(), deliveryId, action, repository, cloneUrl, Json.optional(body, "webUrl", null),
                number, kind, RequestFields.branch(body, "request.sourceBranch"),
                RequestFields.branch(body, "request.targetBranch"), from.repository(), from.fromFork(),
                RequestFields.headSha(body, "request.headSha"), ForgeSupport.firstText(body, "request.author"),
                RequestFields.message(body, "message", "request.title"), Json.optional(body, "request.url", null),
                RequestFields.labels(body, "request.labels", null), Json.time(body, "timestamp", clock.instant()));
    }

    /** The value at {@code path} among {@code values}' keys ({@code fallback} when absent, required when null). */
    private static <T> T oneOf(JsonNode body, String path, Map<String, T> values, T fallback) {
        if (fallback != null && Json.at(body, path) == null) {
            return fallback;
        }
        T value = values.get(Json.required(body, path));
        if (value == null) {
            throw new InvalidPayload("field '" + path + "' is not one of " + new TreeSet<>(values.keySet()));
        }
        return value;
    }
}

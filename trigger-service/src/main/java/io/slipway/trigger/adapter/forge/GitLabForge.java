package io.slipway.trigger.adapter.forge;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.trigger.adapter.forge.ForgeSupport.HeadCommit;
import io.slipway.trigger.domain.InvalidPayload;
import io.slipway.trigger.domain.Push;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * GitLab's Push Hook and Tag Push Hook. A request is authenticated by the plain secret token in
 * {@code X-Gitlab-Token}; a delivery is identified by {@code Idempotency-Key} (stable across retries), else
 * {@code X-Gitlab-Event-UUID} — never {@code X-Gitlab-Webhook-UUID}, which is new on every attempt. The commit to
 * build is {@code checkout_sha} (for a tag, the tagged commit), else {@code after}.
 */
public final class GitLabForge extends HeaderForge {

    public GitLabForge() {
        this(Clock.systemUTC());
    }

    GitLabForge(Clock clock) {
        super("gitlab", clock, List.of("X-Gitlab-Event"), "", List.of("Idempotency-Key", "X-Gitlab-Event-UUID"),
                Map.of("Push Hook", EventKind.PUSH, "Tag Push Hook", EventKind.PUSH));
    }

    @Override
    public String repository(JsonNode body) {
        return ForgeSupport.repository(body, "project.path_with_namespace");
    }

    @Override
    public Authentication authenticate(Function<String, String> headers, byte[] rawBody, String secret) {
        Optional<String> token = ForgeSupport.firstHeader(headers, "X-Gitlab-Token");
        if (token.isEmpty()) {
            return Authentication.MISSING;
        }
        boolean valid = secret != null && !secret.isEmpty() && WebhookSignatures.tokenMatches(secret, token.get());
        return valid ? Authentication.VALID : Authentication.INVALID;
    }

    @Override
    public Push push(JsonNode body, String deliveryId) {
        String repository = repository(body);
        String cloneUrl = ForgeSupport.firstText(body, "project.git_http_url", "repository.git_http_url");
        if (cloneUrl == null) {
            throw new InvalidPayload("missing or empty field 'project.git_http_url'");
        }
        String ref = ForgeSupport.ref(body, "ref");
        String after = Json.required(body, "after");
        boolean deleted = Push.ZERO_SHA.equals(after);
        String checkoutSha = ForgeSupport.firstText(body, "checkout_sha");
        String sha = checkoutSha != null
                ? ForgeSupport.commitSha("checkout_sha", checkoutSha)
                : ForgeSupport.commitSha("after", after);
        Instant now = clock.instant();
        JsonNode commit = ForgeSupport.commitWithId(Json.at(body, "commits"), sha);
        HeadCommit head = commit != null ? HeadCommit.of(commit, "commits[].", now)
                : new HeadCommit(Json.optional(body, "message", ""), Json.required(body, "user_name"),
                        ForgeSupport.firstText(body, "user_email"), now);
        return head.toPush(name(), deliveryId, repository, cloneUrl, Json.optional(body, "project.web_url", null),
                ref, sha, deleted);
    }
}

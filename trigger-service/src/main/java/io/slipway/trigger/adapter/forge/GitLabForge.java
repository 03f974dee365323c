package io.slipway.trigger.adapter.forge;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.trigger.adapter.forge.ForgeSupport.HeadCommit;
import io.slipway.trigger.adapter.forge.RequestFields.Source;
import io.slipway.trigger.domain.InvalidPayload;
import io.slipway.trigger.domain.Push;
import io.slipway.trigger.domain.RequestEvent;
import io.slipway.trigger.domain.RequestEvent.Action;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * GitLab's Push Hook, Tag Push Hook and Merge Request Hook. A request is authenticated by the plain secret token in
 * {@code X-Gitlab-Token}; a delivery is identified by {@code Idempotency-Key} (stable across retries), else
 * {@code X-Gitlab-Event-UUID} — never {@code X-Gitlab-Webhook-UUID}, which is new on every attempt. The commit to
 * build is {@code checkout_sha} (for a tag, the tagged commit), else {@code after}. A merge request's
 * {@code update} is UPDATED only when it brings new code (GitLab then sends {@code oldrev}), LABELED when it changed
 * only the labels, and OTHER otherwise; {@code close} and {@code merge} are CLOSED.
 */
public final class GitLabForge extends HeaderForge {

    private static final Map<String, Action> ACTIONS = Map.of("open", Action.OPENED, "reopen", Action.REOPENED,
            "close", Action.CLOSED, "merge", Action.CLOSED);

    public GitLabForge() {
        this(Clock.systemUTC());
    }

    GitLabForge(Clock clock) {
        super("gitlab", clock, List.of("X-Gitlab-Event"), "", List.of("Idempotency-Key", "X-Gitlab-Event-UUID"),
                Map.of("Push Hook", EventKind.PUSH, "Tag Push Hook", EventKind.PUSH,
                        "Merge Request Hook", EventKind.REQUEST));
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
        String cloneUrl = cloneUrl(body);
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
                ref, sha, deleted, ForgeSupport.before(body, "before"));
    }

    /**
     * The merge request of a Merge Request Hook. The target repository is {@code project} (as for a push); the
     * request is a fork's when {@code source_project_id} differs from {@code target_project_id} or is gone. The hook
     * names who triggered it ({@code user}), not the request's author, so that user stands as the author; the head
     * commit's message is {@code last_commit.message}, else the title.
     */
    @Override
    public RequestEvent request(JsonNode body, String deliveryId) {
        String repository = repository(body);
        String cloneUrl = cloneUrl(body);
        Action action = action(body);
        int number = RequestFields.number(body, "object_attributes.iid");
        Source from = source(body, repository);
        return new RequestEvent(name(), deliveryId, action, repository, cloneUrl,
                Json.optional(body, "project.web_url", null), number, RequestEvent.Kind.MERGE,
                RequestFields.branch(body, "object_attributes.source_branch"),
                RequestFields.branch(body, "object_attributes.target_branch"), from.repository(), from.fromFork(),
                RequestFields.headSha(body, "object_attributes.last_commit.id"),
                ForgeSupport.firstText(body, "user.username"),
                RequestFields.message(body, "object_attributes.last_commit.message", "object_attributes.title"),
                Json.optional(body, "object_attributes.url", null), labels(body),
                Json.time(body, "object_attributes.last_commit.timestamp", clock.instant()));
    }

    private static String cloneUrl(JsonNode body) {
        String cloneUrl = ForgeSupport.firstText(body, "project.git_http_url", "repository.git_http_url");
        if (cloneUrl == null) {
            throw new InvalidPayload("missing or empty field 'project.git_http_url'");
        }
        return cloneUrl;
    }

    private static Action action(JsonNode body) {
        String action = Json.required(body, "object_attributes.action");
        if (!action.equals("update")) {
            return ACTIONS.getOrDefault(action, Action.OTHER);
        }
        if (ForgeSupport.firstText(body, "object_attributes.oldrev") != null) {
            return Action.UPDATED;
        }
        return Json.at(body, "changes.labels") != null ? Action.LABELED : Action.OTHER;
    }

    private static Source source(JsonNode body, String repository) {
        JsonNode target = Json.at(body, "object_attributes.target_project_id");
        if (target == null || !target.isIntegralNumber()) {
            throw new InvalidPayload("missing or empty field 'object_attributes.target_project_id'");
        }
        JsonNode source = Json.at(body, "object_attributes.source_project_id");
        if (source != null && source.isIntegralNumber() && source.bigIntegerValue().equals(target.bigIntegerValue())) {
            return new Source(repository, false);
        }
        return Json.at(body, "object_attributes.source") == null ? Source.deleted()
                : new Source(ForgeSupport.repository(body, "object_attributes.source.path_with_namespace"), true);
    }

    /** The labels after the event: the hook's {@code labels}, else {@code object_attributes.labels}. */
    private static List<String> labels(JsonNode body) {
        return RequestFields.labels(body, Json.at(body, "labels") != null ? "labels" : "object_attributes.labels",
                "title");
    }
}

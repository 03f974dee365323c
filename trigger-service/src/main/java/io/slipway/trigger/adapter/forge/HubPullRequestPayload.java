package io.slipway.trigger.adapter.forge;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.trigger.adapter.forge.RequestFields.Source;
import io.slipway.trigger.domain.RequestEvent;
import io.slipway.trigger.domain.RequestEvent.Action;

import java.time.Instant;
import java.util.Map;

/**
 * The {@code pull_request} event GitHub defined and Gitea and Forgejo copied: the target repository in
 * {@code repository}, the request in {@code pull_request} (head and base branch, head sha, head and base repository,
 * author, labels, page), and {@code action}, which each forge names its own way. A request is from a fork when its
 * head repository is not its base repository, or is gone ({@code head.repo: null}). Neither forge sends the head
 * commit's message, so the request's title stands in for it.
 */
final class HubPullRequestPayload {

    private HubPullRequestPayload() {
    }

    /** The event of {@code body}; {@code actions} maps the forge's action names, any other is {@link Action#OTHER}. */
    static RequestEvent request(String source, JsonNode body, String deliveryId, Map<String, Action> actions,
                                Instant now) {
        String repository = HubPushPayload.repository(body);
        String cloneUrl = Json.required(body, "repository.clone_url");
        Action action = actions.getOrDefault(Json.required(body, "action"), Action.OTHER);
        int number = RequestFields.number(body, "number");
        String base = ForgeSupport.repository(body, "pull_request.base.repo.full_name");
        Source from = Source.named(body, "pull_request.head.repo", "full_name", base);
        return new RequestEvent(source, deliveryId, action, repository, cloneUrl,
                Json.optional(body, "repository.html_url", null), number, RequestEvent.Kind.PULL,
                RequestFields.branch(body, "pull_request.head.ref"), RequestFields.branch(body, "pull_request.base.ref"),
                from.repository(), from.fromFork(), RequestFields.headSha(body, "pull_request.head.sha"),
                ForgeSupport.firstText(body, "pull_request.user.login", "pull_request.user.username"),
                RequestFields.message(body, "pull_request.title"), Json.optional(body, "pull_request.html_url", null),
                RequestFields.labels(body, "pull_request.labels", "name"),
                Json.time(body, "pull_request.updated_at", now));
    }
}

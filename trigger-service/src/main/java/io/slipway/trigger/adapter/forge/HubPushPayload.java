package io.slipway.trigger.adapter.forge;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.trigger.adapter.forge.ForgeSupport.HeadCommit;
import io.slipway.trigger.domain.InvalidPayload;
import io.slipway.trigger.domain.Push;

import java.time.Instant;

/**
 * The push payload GitHub defined and Gitea, Forgejo and Gogs copied. The pushed commit is {@code head_commit},
 * else the entry of {@code commits} whose id is {@code after}; a push without one (a deletion, some tag pushes)
 * is attributed to the pusher with an empty message.
 */
final class HubPushPayload {

    private HubPushPayload() {
    }

    static String repository(JsonNode body) {
        return ForgeSupport.repository(body, "repository.full_name");
    }

    static Push push(String source, JsonNode body, String deliveryId, Instant now) {
        String repository = repository(body);
        String cloneUrl = Json.required(body, "repository.clone_url");
        String webUrl = Json.optional(body, "repository.html_url", null);
        String ref = ForgeSupport.ref(body, "ref");
        String after = Json.required(body, "after");
        JsonNode deletedFlag = Json.at(body, "deleted");
        boolean deleted = Push.ZERO_SHA.equals(after) || (deletedFlag != null && deletedFlag.asBoolean());
        String sha = ForgeSupport.commitSha("after", after);
        JsonNode headCommit = Json.at(body, "head_commit");
        JsonNode listed = ForgeSupport.commitWithId(Json.at(body, "commits"), sha);
        HeadCommit head = headCommit != null ? HeadCommit.of(headCommit, "head_commit.", now)
                : listed != null ? HeadCommit.of(listed, "commits[].", now)
                : pusher(body, now);
        return head.toPush(source, deliveryId, repository, cloneUrl, webUrl, ref, sha, deleted,
                ForgeSupport.before(body, "before"));
    }

    /** GitHub names the pusher {@code name}; Gitea gives {@code full_name} (may be empty), {@code login} and {@code username}. */
    private static HeadCommit pusher(JsonNode body, Instant now) {
        String name = ForgeSupport.firstText(body, "pusher.name", "pusher.full_name", "pusher.login", "pusher.username");
        if (name == null) {
            throw new InvalidPayload("missing or empty field 'pusher.name'");
        }
        return new HeadCommit("", name, ForgeSupport.firstText(body, "pusher.email"), now);
    }
}

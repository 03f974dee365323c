package io.slipway.trigger.adapter.forge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.schemas.Fixtures;
import io.slipway.trigger.domain.InvalidPayload;
import io.slipway.trigger.domain.Push;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.slipway.trigger.adapter.forge.TestRequests.CLOCK;
import static io.slipway.trigger.adapter.forge.TestRequests.NOW;
import static io.slipway.trigger.adapter.forge.TestRequests.fixture;
import static io.slipway.trigger.adapter.forge.TestRequests.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GitLabForgeTest {

    private final GitLabForge forge = new GitLabForge(CLOCK);

    @Test
    void readsTheCommitWhoseIdIsTheCheckoutShaFromAPushHook() {
        Push push = forge.push(fixture("gitlab/webhooks/push-hook.json"), "908a6d9e-45fd-46c8-97e6-c4f350f219dd");

        assertThat(push).isEqualTo(new Push("gitlab", "908a6d9e-45fd-46c8-97e6-c4f350f219dd", "mike/diaspora",
                "http://example.com/mike/diaspora.git", "http://example.com/mike/diaspora", "refs/heads/master",
                "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", "fixed readme", "GitLab dev user",
                "gitlabdev@dv6700.(none)", Instant.parse("2012-01-03T21:36:29Z"), false,
                "95790bf891e76fee5e1747ab589903a6a1f80f22", null));
    }

    @Test
    void attributesATagPushWithoutCommitsToTheUser() {
        Push push = forge.push(fixture("gitlab/webhooks/tag-push-hook.json"), null);

        assertThat(push).isEqualTo(new Push("gitlab", null, "jsmith/example", "http://example.com/jsmith/example.git",
                "http://example.com/jsmith/example", "refs/tags/v1.0.0", "82b3d5ae55f7080f1e6022629cdb57bfae7cccc7",
                "", "John Smith", null, NOW, false));
    }

    @Test
    void knowsNoPreviousShaOfATagThePushCreated() {
        assertThat(forge.push(fixture("gitlab/webhooks/tag-push-hook.json"), null).before()).isNull();
    }

    @Test
    void takesTheTagMessageOfATagPushWhenGiven() {
        ObjectNode body = fixture("gitlab/webhooks/tag-push-hook.json");
        body.put("message", "Release 1.0.0");

        assertThat(forge.push(body, null).message()).isEqualTo("Release 1.0.0");
    }

    @Test
    void buildsTheCheckoutShaOfAnAnnotatedTagRatherThanTheTagObject() {
        ObjectNode body = fixture("gitlab/webhooks/tag-push-hook.json");
        body.put("after", "1111111111111111111111111111111111111111");

        assertThat(forge.push(body, null).sha()).isEqualTo("82b3d5ae55f7080f1e6022629cdb57bfae7cccc7");
    }

    @Test
    void reportsADeletionWhoseCheckoutShaIsNull() {
        ObjectNode body = fixture("gitlab/webhooks/push-hook.json");
        body.put("after", Push.ZERO_SHA);
        body.putNull("checkout_sha");
        body.putArray("commits");

        Push push = forge.push(body, null);

        assertThat(push.deleted()).isTrue();
        assertThat(push.sha()).isEqualTo(Push.ZERO_SHA);
        assertThat(push.authorName()).isEqualTo("John Smith");
        assertThat(push.authorEmail()).isEqualTo("john@example.com");
    }

    @Test
    void fallsBackToTheRepositoryCloneUrl() {
        ObjectNode body = fixture("gitlab/webhooks/push-hook.json");
        ((ObjectNode) body.get("project")).remove("git_http_url");
        ((ObjectNode) body.get("repository")).put("git_http_url", "https://gitlab.example.com/mike/diaspora.git");

        assertThat(forge.push(body, null).cloneUrl()).isEqualTo("https://gitlab.example.com/mike/diaspora.git");
    }

    @Test
    void classifiesPushAndTagPushHooksAsPushesAndMergeRequestHooksAsRequests() {
        assertThat(forge.kind(headers("X-Gitlab-Event", "Push Hook"))).isEqualTo(Forge.EventKind.PUSH);
        assertThat(forge.kind(headers("X-Gitlab-Event", "Tag Push Hook"))).isEqualTo(Forge.EventKind.PUSH);
        assertThat(forge.kind(headers("X-Gitlab-Event", "Merge Request Hook"))).isEqualTo(Forge.EventKind.REQUEST);
        assertThat(forge.kind(headers("X-Gitlab-Event", "Note Hook"))).isEqualTo(Forge.EventKind.OTHER);
        assertThat(forge.kind(headers())).isEqualTo(Forge.EventKind.OTHER);
    }

    @Test
    void identifiesADeliveryByItsIdempotencyKeyThenItsEventUuidButNeverItsPerAttemptUuid() {
        assertThat(forge.deliveryId(headers("Idempotency-Key", "key-1", "X-Gitlab-Event-UUID", "event-1",
                "X-Gitlab-Webhook-UUID", "attempt-1"))).contains("key-1");
        assertThat(forge.deliveryId(headers("X-Gitlab-Event-UUID", "event-1", "X-Gitlab-Webhook-UUID", "attempt-1")))
                .contains("event-1");
        assertThat(forge.deliveryId(headers("X-Gitlab-Webhook-UUID", "attempt-1"))).isEmpty();
    }

    @Test
    void authenticatesByThePlainSecretToken() {
        byte[] body = Fixtures.bytes("gitlab/webhooks/push-hook.json");

        assertThat(forge.authenticate(headers("X-Gitlab-Token", "s3cret"), body, "s3cret"))
                .isEqualTo(Forge.Authentication.VALID);
        assertThat(forge.authenticate(headers("X-Gitlab-Token", "s3cret!"), body, "s3cret"))
                .isEqualTo(Forge.Authentication.INVALID);
        assertThat(forge.authenticate(headers(), body, "s3cret")).isEqualTo(Forge.Authentication.MISSING);
    }

    @Test
    void namesTheMissingProjectPath() {
        ObjectNode body = fixture("gitlab/webhooks/push-hook.json");
        ((ObjectNode) body.get("project")).remove("path_with_namespace");

        assertThatThrownBy(() -> forge.push(body, null)).isInstanceOf(InvalidPayload.class)
                .hasMessageContaining("'project.path_with_namespace'");
    }

    @Test
    void refusesACheckoutShaThatIsNotACommitSha() {
        ObjectNode body = fixture("gitlab/webhooks/push-hook.json");
        body.put("checkout_sha", "not-a-sha");

        assertThatThrownBy(() -> forge.push(body, null)).isInstanceOf(InvalidPayload.class)
                .hasMessageStartingWith("field 'checkout_sha' is not a commit sha");
    }

    @Test
    void acceptsSubgroupsAndRefusesATraversingProjectPathNamingTheField() {
        ObjectNode body = fixture("gitlab/webhooks/push-hook.json");
        ((ObjectNode) body.get("project")).put("path_with_namespace", "group/sub/project");
        assertThat(forge.push(body, null).repository()).isEqualTo("group/sub/project");

        ((ObjectNode) body.get("project")).put("path_with_namespace", "group/../victim/project");
        assertThatThrownBy(() -> forge.repository(body)).isInstanceOf(InvalidPayload.class)
                .hasMessageStartingWith("field 'project.path_with_namespace' is not a repository full name");
    }
}

package io.slipway.trigger.adapter.forge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.schemas.Fixtures;
import io.slipway.trigger.domain.InvalidPayload;
import io.slipway.trigger.domain.Push;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.slipway.trigger.adapter.forge.TestRequests.CLOCK;
import static io.slipway.trigger.adapter.forge.TestRequests.SECRET;
import static io.slipway.trigger.adapter.forge.TestRequests.fixture;
import static io.slipway.trigger.adapter.forge.TestRequests.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GiteaForgeTest {

    private final GiteaForge forge = new GiteaForge(CLOCK);

    @Test
    void readsTheHeadCommitOfACapturedPush() {
        Push push = forge.push(fixture("gitea/webhooks/push.captured.json"), "d-1");

        assertThat(push).isEqualTo(new Push("gitea", "d-1", "example/example",
                "http://localhost:3000/example/example.git", "http://localhost:3000/example/example",
                "refs/heads/master", "67b56589a45103f891bdee7c0546e5d40bc02001", "example\n", "example",
                "example@example.com", Instant.parse("2022-03-09T07:23:39Z"), false));
    }

    @Test
    void findsThePushedCommitInCommitsWhenHeadCommitIsAbsent() {
        Push push = forge.push(fixture("gitea/webhooks/push.docs-example.json"), "f6266f16-1bf3-46a5-9ea4-602e06ead473");

        assertThat(push).isEqualTo(new Push("gitea", "f6266f16-1bf3-46a5-9ea4-602e06ead473", "gitea/webhooks",
                "http://localhost:3000/gitea/webhooks.git", "http://localhost:3000/gitea/webhooks",
                "refs/heads/develop", "bffeb74224043ba2feb48d137756c8a9331c449a", "Webhooks Yay!", "Gitea",
                "someone@gitea.io", Instant.parse("2017-03-13T17:52:11Z"), false,
                "28e1879d029cb852e4844d9c718537df08844e03", null));
    }

    @Test
    void knowsNoPreviousShaOfABranchThePushCreated() {
        assertThat(forge.push(fixture("gitea/webhooks/push.captured.json"), null).before()).isNull();
    }

    @Test
    void attributesADeletionToThePushersLoginWhenItsFullNameIsEmpty() {
        ObjectNode body = fixture("gitea/webhooks/push.captured.json");
        body.put("after", Push.ZERO_SHA);
        body.putNull("head_commit");
        body.putArray("commits");

        Push push = forge.push(body, null);

        assertThat(push.deleted()).isTrue();
        assertThat(push.message()).isEmpty();
        assertThat(push.authorName()).isEqualTo("example");
        assertThat(push.authorEmail()).isEqualTo("example@example.com");
    }

    @Test
    void readsEventAndDeliveryFromGiteaForgejoOrGogsHeaders() {
        assertThat(forge.kind(headers("X-Gitea-Event", "push"))).isEqualTo(Forge.EventKind.PUSH);
        assertThat(forge.kind(headers("X-Forgejo-Event", "push"))).isEqualTo(Forge.EventKind.PUSH);
        assertThat(forge.kind(headers("X-Gogs-Event", "push"))).isEqualTo(Forge.EventKind.PUSH);
        assertThat(forge.kind(headers("X-Gitea-Event", "create"))).isEqualTo(Forge.EventKind.OTHER);
        assertThat(forge.kind(headers())).isEqualTo(Forge.EventKind.OTHER);
        assertThat(forge.deliveryId(headers("X-Gitea-Delivery", "a"))).contains("a");
        assertThat(forge.deliveryId(headers("X-Forgejo-Delivery", "b"))).contains("b");
        assertThat(forge.deliveryId(headers("X-Gogs-Delivery", "c"))).contains("c");
        assertThat(forge.deliveryId(headers())).isEmpty();
    }

    @Test
    void treatsTheEmptySignatureHeadersOfAHookWithoutSecretAsMissing() {
        byte[] body = Fixtures.bytes("gitea/webhooks/push.captured.json");

        assertThat(forge.authenticate(headers("X-Gitea-Signature", "", "X-Hub-Signature-256", "sha256="), body, SECRET))
                .isEqualTo(Forge.Authentication.MISSING);
        assertThat(forge.authenticate(headers(), body, SECRET)).isEqualTo(Forge.Authentication.MISSING);
    }

    @Test
    void refusesASignatureMadeWithAnotherSecret() {
        byte[] body = Fixtures.bytes("gitea/webhooks/push.captured.json");
        String wrong = WebhookSignatures.hmacSha256Hex("another secret", body);

        assertThat(forge.authenticate(headers("X-Gitea-Signature", wrong), body, SECRET))
                .isEqualTo(Forge.Authentication.INVALID);
        assertThat(forge.authenticate(headers("X-Hub-Signature-256", "sha256=" + wrong), body, SECRET))
                .isEqualTo(Forge.Authentication.INVALID);
    }

    @Test
    void namesAMalformedTimestampOfTheListedCommit() {
        ObjectNode body = fixture("gitea/webhooks/push.docs-example.json");
        ((ObjectNode) body.get("commits").get(0)).put("timestamp", "yesterday");

        assertThatThrownBy(() -> forge.push(body, null)).isInstanceOf(InvalidPayload.class)
                .hasMessageContaining("'commits[].timestamp'");
    }

    @Test
    void namesTheMissingRepositoryFullName() {
        ObjectNode body = fixture("gitea/webhooks/push.captured.json");
        ((ObjectNode) body.get("repository")).remove("full_name");

        assertThatThrownBy(() -> forge.push(body, null)).isInstanceOf(InvalidPayload.class)
                .hasMessageContaining("'repository.full_name'");
    }
}

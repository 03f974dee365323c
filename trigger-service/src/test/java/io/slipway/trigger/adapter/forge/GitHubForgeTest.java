package io.slipway.trigger.adapter.forge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.schemas.Fixtures;
import io.slipway.trigger.domain.InvalidPayload;
import io.slipway.trigger.domain.Push;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.slipway.trigger.adapter.forge.TestRequests.CLOCK;
import static io.slipway.trigger.adapter.forge.TestRequests.NOW;
import static io.slipway.trigger.adapter.forge.TestRequests.SECRET;
import static io.slipway.trigger.adapter.forge.TestRequests.fixture;
import static io.slipway.trigger.adapter.forge.TestRequests.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GitHubForgeTest {

    private final GitHubForge forge = new GitHubForge(CLOCK);

    @Test
    void readsTheHeadCommitOfACapturedBranchUpdate() {
        Push push = forge.push(fixture("github/webhooks/push.captured-branch-update.json"), "delivery-1");

        assertThat(push).isEqualTo(new Push("github", "delivery-1", "binkkatal/sample_app",
                "https://github.com/binkkatal/sample_app.git", "https://github.com/binkkatal/sample_app",
                "refs/heads/master", "fd489864e7642b48eaad6e3f155c10e46810ec72", "test a push event",
                "binkkatal", "binkkatal.r@gmail.com", Instant.parse("2018-06-29T14:04:13Z"), false,
                "737d38c599c1b2991664dfc6155d6bf516fcce36", null));
    }

    @Test
    void readsThePushThatCreatedABranch() {
        Push push = forge.push(fixture("github/webhooks/push.with-new-branch.json"), null);

        assertThat(push).isEqualTo(new Push("github", null, "Codertocat/Hello-World",
                "https://github.com/Codertocat/Hello-World.git", "https://github.com/Codertocat/Hello-World",
                "refs/heads/master", "6113728f27ae82c7b1a177c8d03f9e96e0adf246", "Initial commit",
                "Codertocat", "21031067+Codertocat@users.noreply.github.com", Instant.parse("2019-05-15T15:19:25Z"),
                false));
    }

    @Test
    void knowsNoPreviousShaOfABranchThePushCreated() {
        assertThat(forge.push(fixture("github/webhooks/push.with-new-branch.json"), null).before()).isNull();
    }

    @Test
    void refusesAPreviousShaThatIsNotACommitSha() {
        ObjectNode body = fixture("github/webhooks/push.captured-branch-update.json");
        body.put("before", "737d38c5\n");

        assertThatThrownBy(() -> forge.push(body, null)).isInstanceOf(InvalidPayload.class)
                .hasMessageStartingWith("field 'before' is not a commit sha");
    }

    @Test
    void keepsTheShaATagDeletionRemoved() {
        assertThat(forge.push(fixture("github/webhooks/push.payload.json"), null).before())
                .isEqualTo("6113728f27ae82c7b1a177c8d03f9e96e0adf246");
    }

    @Test
    void reportsATagDeletionWithoutHeadCommitAsDeletedByThePusher() {
        Push push = forge.push(fixture("github/webhooks/push.payload.json"), "delivery-2");

        assertThat(push.deleted()).isTrue();
        assertThat(push.ref()).isEqualTo("refs/tags/simple-tag");
        assertThat(push.sha()).isEqualTo(Push.ZERO_SHA);
        assertThat(push.message()).isEmpty();
        assertThat(push.authorName()).isEqualTo("Codertocat");
        assertThat(push.authorEmail()).isEqualTo("21031067+Codertocat@users.noreply.github.com");
        assertThat(push.timestamp()).isEqualTo(NOW);
    }

    @Test
    void takesTheDeletedFlagEvenWhenAfterIsNotZero() {
        ObjectNode body = fixture("github/webhooks/push.captured-branch-update.json");
        body.put("deleted", true);

        assertThat(forge.push(body, null).deleted()).isTrue();
    }

    @Test
    void classifiesEventsByTheEventHeader() {
        assertThat(forge.kind(headers("X-GitHub-Event", "push"))).isEqualTo(Forge.EventKind.PUSH);
        assertThat(forge.kind(headers("x-github-event", "ping"))).isEqualTo(Forge.EventKind.PING);
        assertThat(forge.kind(headers("X-GitHub-Event", "issues"))).isEqualTo(Forge.EventKind.OTHER);
        assertThat(forge.kind(headers())).isEqualTo(Forge.EventKind.OTHER);
        assertThat(forge.eventName(headers("X-GitHub-Event", "issues"))).isEqualTo("issues");
    }

    @Test
    void findsTheRepositoryOfAPing() {
        ObjectNode ping = fixture("github/webhooks/ping.payload.json");

        assertThat(forge.kind(headers("X-GitHub-Event", "ping"))).isEqualTo(Forge.EventKind.PING);
        assertThat(forge.repository(ping)).isEqualTo("Octocoders/Hello-World");
    }

    @Test
    void takesTheDeliveryIdFromTheDeliveryHeader() {
        assertThat(forge.deliveryId(headers("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958")))
                .contains("72d3162e-cc78-11e3-81ab-4c9367dc0958");
        assertThat(forge.deliveryId(headers())).isEmpty();
    }

    @Test
    void authenticatesGitHubsPublishedTestVector() {
        byte[] payload = "Hello, World!".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

        assertThat(WebhookSignatures.verify(SECRET, payload, header, "sha256=")).isTrue();
        assertThat(forge.authenticate(headers("X-Hub-Signature-256", header), payload, SECRET))
                .isEqualTo(Forge.Authentication.VALID);
    }

    @Test
    void refusesTheTestVectorWhenOneBitOfTheBodyOrSignatureChanges() {
        byte[] payload = "Hello, World!".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        byte[] flippedBody = payload.clone();
        flippedBody[0] ^= 1;
        String flippedSignature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e16";

        assertThat(WebhookSignatures.verify(SECRET, flippedBody, header, "sha256=")).isFalse();
        assertThat(forge.authenticate(headers("X-Hub-Signature-256", header), flippedBody, SECRET))
                .isEqualTo(Forge.Authentication.INVALID);
        assertThat(forge.authenticate(headers("X-Hub-Signature-256", flippedSignature), payload, SECRET))
                .isEqualTo(Forge.Authentication.INVALID);
    }

    @Test
    void answersMissingWithoutSignatureAndInvalidWithAnotherSecretsSignature() {
        byte[] body = Fixtures.bytes("github/webhooks/push.payload.json");
        String signature = "sha256=" + WebhookSignatures.hmacSha256Hex("another secret", body);

        assertThat(forge.authenticate(headers(), body, SECRET)).isEqualTo(Forge.Authentication.MISSING);
        assertThat(forge.authenticate(headers("X-Hub-Signature-256", ""), body, SECRET))
                .isEqualTo(Forge.Authentication.MISSING);
        assertThat(forge.authenticate(headers("X-Hub-Signature-256", signature), body, SECRET))
                .isEqualTo(Forge.Authentication.INVALID);
        assertThat(forge.authenticate(headers("X-Hub-Signature-256", signature), body, ""))
                .isEqualTo(Forge.Authentication.INVALID);
    }

    @Test
    void namesTheMissingRepositoryFullName() {
        ObjectNode body = fixture("github/webhooks/push.captured-branch-update.json");
        ((ObjectNode) body.get("repository")).remove("full_name");

        assertThatThrownBy(() -> forge.push(body, null)).isInstanceOf(InvalidPayload.class)
                .hasMessageContaining("'repository.full_name'");
        assertThatThrownBy(() -> forge.repository(body)).isInstanceOf(InvalidPayload.class)
                .hasMessageContaining("'repository.full_name'");
    }

    @Test
    void namesTheMissingCloneUrl() {
        ObjectNode body = fixture("github/webhooks/push.captured-branch-update.json");
        ((ObjectNode) body.get("repository")).putNull("clone_url");

        assertThatThrownBy(() -> forge.push(body, null)).isInstanceOf(InvalidPayload.class)
                .hasMessageContaining("'repository.clone_url'");
    }

    @Test
    void namesTheMissingAuthorOfTheHeadCommitByItsPath() {
        ObjectNode body = fixture("github/webhooks/push.captured-branch-update.json");
        ((ObjectNode) body.get("head_commit")).remove("author");

        assertThatThrownBy(() -> forge.push(body, null)).isInstanceOf(InvalidPayload.class)
                .hasMessageContaining("'head_commit.author.name'");
    }

    @Test
    void refusesAnAfterThatIsNotACommitSha() {
        ObjectNode body = fixture("github/webhooks/push.captured-branch-update.json");
        body.put("after", "fd489864");

        assertThatThrownBy(() -> forge.push(body, null)).isInstanceOf(InvalidPayload.class)
                .hasMessageStartingWith("field 'after' is not a commit sha");
    }

    @Test
    void refusesATraversingFullNameAndABadRefNamingTheField() {
        ObjectNode body = fixture("github/webhooks/push.captured-branch-update.json");
        ((ObjectNode) body.get("repository")).put("full_name", "demo/x/../../victim/repo");
        assertThatThrownBy(() -> forge.repository(body)).isInstanceOf(InvalidPayload.class)
                .hasMessageStartingWith("field 'repository.full_name' is not a repository full name");

        ObjectNode badRef = fixture("github/webhooks/push.captured-branch-update.json");
        badRef.put("ref", "refs/heads/main\u0000");
        assertThatThrownBy(() -> forge.push(badRef, null)).isInstanceOf(InvalidPayload.class)
                .hasMessageStartingWith("field 'ref' is not a valid ref");
    }
}

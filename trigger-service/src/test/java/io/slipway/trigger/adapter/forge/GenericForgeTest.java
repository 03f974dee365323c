package io.slipway.trigger.adapter.forge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.trigger.domain.InvalidPayload;
import io.slipway.trigger.domain.Push;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static io.slipway.trigger.adapter.forge.TestRequests.CLOCK;
import static io.slipway.trigger.adapter.forge.TestRequests.NOW;
import static io.slipway.trigger.adapter.forge.TestRequests.SECRET;
import static io.slipway.trigger.adapter.forge.TestRequests.headers;
import static io.slipway.trigger.adapter.forge.TestRequests.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GenericForgeTest {

    private static final String SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
    private static final String BODY = """
            {"repository": "acme/shop", "cloneUrl": "https://git.acme.test/acme/shop.git",
             "webUrl": "https://git.acme.test/acme/shop", "ref": "refs/heads/main", "sha": "%s",
             "before": "737d38c599c1b2991664dfc6155d6bf516fcce36", "message": "Fix \\"cart\\"\\n\\nDetails",
             "author": {"name": "Ada Lovelace", "email": "ada@acme.test"}, "timestamp": "2024-04-30T12:00:00+02:00"}
            """.formatted(SHA);

    private final GenericForge forge = new GenericForge(CLOCK);

    @Test
    void readsTheDocumentedBody() {
        Push push = forge.push(json(BODY), "d-1");

        assertThat(push).isEqualTo(new Push("generic", "d-1", "acme/shop", "https://git.acme.test/acme/shop.git",
                "https://git.acme.test/acme/shop", "refs/heads/main", SHA, "Fix \"cart\"\n\nDetails", "Ada Lovelace",
                "ada@acme.test", Instant.parse("2024-04-30T10:00:00Z"), false, "737d38c599c1b2991664dfc6155d6bf516fcce36",
                null));
    }

    @Test
    void defaultsOptionalFields() {
        Push push = forge.push(json("""
                {"repository": "shop", "cloneUrl": "file:///srv/git/shop.git", "ref": "refs/tags/v1",
                 "sha": "%s", "author": {"name": "Ada"}}""".formatted(SHA)), null);

        assertThat(push.webUrl()).isNull();
        assertThat(push.message()).isEmpty();
        assertThat(push.authorEmail()).isNull();
        assertThat(push.timestamp()).isEqualTo(NOW);
        assertThat(push.deleted()).isFalse();
        assertThat(push.before()).isNull();
    }

    @Test
    void acceptsADeletionWithoutAuthor() {
        Push push = forge.push(json("""
                {"repository": "shop", "cloneUrl": "file:///srv/git/shop.git", "ref": "refs/heads/old",
                 "sha": "%s"}""".formatted(Push.ZERO_SHA)), null);

        assertThat(push.deleted()).isTrue();
        assertThat(push.sha()).isEqualTo(Push.ZERO_SHA);
    }

    @Test
    void namesAMissingOrMalformedSha() {
        ObjectNode body = (ObjectNode) json(BODY);
        body.remove("sha");
        assertThatThrownBy(() -> forge.push(body, null)).isInstanceOf(InvalidPayload.class)
                .hasMessageContaining("'sha'");

        body.put("sha", "6113728");
        assertThatThrownBy(() -> forge.push(body, null)).isInstanceOf(InvalidPayload.class)
                .hasMessageStartingWith("field 'sha' is not a commit sha");
    }

    @Test
    void refusesARefThatIsNotAFullRefName() {
        ObjectNode body = (ObjectNode) json(BODY);
        body.put("ref", "main");

        assertThatThrownBy(() -> forge.push(body, null)).isInstanceOf(InvalidPayload.class)
                .hasMessageContaining("'ref'");
    }

    @Test
    void refusesTraversalInTheRepositoryAndRefNamingTheField() {
        ObjectNode body = (ObjectNode) json(BODY);
        body.put("repository", "demo/x/../../victim/repo");
        assertThatThrownBy(() -> forge.repository(body)).isInstanceOf(InvalidPayload.class)
                .hasMessageStartingWith("field 'repository' is not a repository full name");

        ObjectNode ref = (ObjectNode) json(BODY);
        ref.put("ref", "refs/heads/../../x");
        assertThatThrownBy(() -> forge.push(ref, null)).isInstanceOf(InvalidPayload.class)
                .hasMessageStartingWith("field 'ref' is not a valid ref");
    }

    @Test
    void namesTheMissingAuthorOfACommit() {
        ObjectNode body = (ObjectNode) json(BODY);
        body.remove("author");

        assertThatThrownBy(() -> forge.push(body, null)).isInstanceOf(InvalidPayload.class)
                .hasMessageContaining("'author.name'");
    }

    @Test
    void treatsARequestWithoutEventHeaderAsAPush() {
        assertThat(forge.kind(headers())).isEqualTo(Forge.EventKind.PUSH);
        assertThat(forge.kind(headers("X-Slipway-Event", "push"))).isEqualTo(Forge.EventKind.PUSH);
        assertThat(forge.kind(headers("X-Slipway-Event", "ping"))).isEqualTo(Forge.EventKind.PING);
        assertThat(forge.kind(headers("X-Slipway-Event", "tag"))).isEqualTo(Forge.EventKind.OTHER);
        assertThat(forge.deliveryId(headers("X-Slipway-Delivery", "u-1"))).contains("u-1");
    }

    @Test
    void authenticatesAGitHubStyleSignatureOfTheRawBody() {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        String signature = "sha256=" + WebhookSignatures.hmacSha256Hex(SECRET, body);

        assertThat(forge.authenticate(headers("X-Slipway-Signature-256", signature), body, SECRET))
                .isEqualTo(Forge.Authentication.VALID);
        assertThat(forge.authenticate(headers("X-Slipway-Signature-256", signature), body, "other"))
                .isEqualTo(Forge.Authentication.INVALID);
        assertThat(forge.authenticate(headers(), body, SECRET)).isEqualTo(Forge.Authentication.MISSING);
    }
}

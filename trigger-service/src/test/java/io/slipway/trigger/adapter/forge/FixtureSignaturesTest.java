package io.slipway.trigger.adapter.forge;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.schemas.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static io.slipway.trigger.adapter.forge.TestRequests.headers;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signatures precomputed in {@code webhook-signatures.computed.json} authenticate the fixture files' exact
 * bytes, with every header the forge sends them in.
 */
class FixtureSignaturesTest {

    private static final JsonNode COMPUTED = TestRequests.fixture("webhook-signatures.computed.json");

    static List<String> githubFiles() {
        return files("github/");
    }

    static List<String> giteaFiles() {
        return files("gitea/");
    }

    @ParameterizedTest
    @MethodSource("githubFiles")
    void gitHubSignatureAuthenticatesTheFixtureBytes(String file) {
        JsonNode expected = COMPUTED.path("files").path(file);
        byte[] body = Fixtures.bytes(file);

        assertThat(body).hasSize(expected.path("bytes").asInt());
        assertThat(new GitHubForge().authenticate(headers("X-Hub-Signature-256",
                expected.path("X-Hub-Signature-256").asText()), body, secret())).isEqualTo(Forge.Authentication.VALID);
    }

    @ParameterizedTest
    @MethodSource("giteaFiles")
    void giteaSignatureAuthenticatesTheFixtureBytesInEachHeader(String file) {
        JsonNode expected = COMPUTED.path("files").path(file);
        byte[] body = Fixtures.bytes(file);
        GiteaForge forge = new GiteaForge();

        assertThat(body).hasSize(expected.path("bytes").asInt());
        assertThat(forge.authenticate(headers("X-Gitea-Signature", expected.path("X-Gitea-Signature").asText()),
                body, secret())).isEqualTo(Forge.Authentication.VALID);
        assertThat(forge.authenticate(headers("X-Forgejo-Signature", expected.path("X-Gitea-Signature").asText()),
                body, secret())).isEqualTo(Forge.Authentication.VALID);
        assertThat(forge.authenticate(headers("X-Hub-Signature-256", expected.path("X-Hub-Signature-256").asText()),
                body, secret())).isEqualTo(Forge.Authentication.VALID);
    }

    private static String secret() {
        return COMPUTED.path("secret").asText();
    }

    private static List<String> files(String prefix) {
        List<String> files = new ArrayList<>();
        COMPUTED.path("files").fieldNames().forEachRemaining(name -> {
            if (name.startsWith(prefix)) {
                files.add(name);
            }
        });
        assertThat(files).isNotEmpty();
        return files;
    }
}

package io.slipway.builder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.builder.config.BuilderProperties;
import io.slipway.builder.domain.BuildRequest;
import io.slipway.common.testing.LocalRegistry;
import io.slipway.schemas.RunIds;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Configuration and checks shared by the tests that build on the real engine and push to the real registry. */
public final class BuilderTestSupport {

    public static final String REGISTRY_USER = "slipway-ci";
    public static final String REGISTRY_PASSWORD = "registry-pw-7f3a91";

    private BuilderTestSupport() {
    }

    /** Properties for a builder against {@code registry}, allowing file:// clone URLs, with quick retries. */
    public static BuilderProperties properties(Path workdir, String dockerHost, LocalRegistry registry, String password,
                                               int attempts, Map<String, String> buildArgs) {
        return new BuilderProperties(Duration.ofMinutes(2), Duration.ofSeconds(1), workdir.toString(), buildArgs, List.of(),
                new BuilderProperties.Docker(dockerHost, "256m", 512, null, Duration.ofMinutes(1)),
                new BuilderProperties.Registry(registry.host(), true, "staging", REGISTRY_USER, password),
                new BuilderProperties.Git(null, null, Duration.ofSeconds(30)),
                new BuilderProperties.Retry(attempts, Duration.ofMillis(200), Duration.ofMillis(500)),
                new BuilderProperties.CloneUrls(List.of("https", "file"), null, true, false, false));
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static BuildRequest request(String repository, TestRepository repo, String sha, String ref, long position) {
        return new BuildRequest(RunIds.runId(repository, sha, ref), repository, repo.cloneUrl(), null, sha, ref,
                Instant.now(), 0, position);
    }

    /** {@code skopeo inspect} of an image in the test registry: an independent client reads what was pushed. */
    public static JsonNode inspect(LocalRegistry registry, String reference) throws IOException, InterruptedException {
        Process skopeo = new ProcessBuilder("skopeo", "inspect", "--tls-verify=false", "--creds",
                REGISTRY_USER + ":" + REGISTRY_PASSWORD, "docker://" + registry.host() + "/" + reference)
                .redirectErrorStream(true).start();
        String output = new String(skopeo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(skopeo.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(skopeo.exitValue()).as(output).isZero();
        return new ObjectMapper().readTree(output);
    }
}

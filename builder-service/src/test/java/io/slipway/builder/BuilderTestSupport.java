package io.slipway.builder;

import io.slipway.builder.config.BuilderProperties;
import io.slipway.builder.domain.BuildRequest;
import io.slipway.common.testing.LocalRegistry;
import io.slipway.schemas.RunIds;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Configuration shared by the tests that build on the real engine and push to the real registry. */
public final class BuilderTestSupport {

    public static final String REGISTRY_USER = "slipway-ci";
    public static final String REGISTRY_PASSWORD = "registry-pw-7f3a91";

    private BuilderTestSupport() {
    }

    /** Properties for a builder against {@code registry}, allowing file:// clone URLs. */
    public static BuilderProperties properties(Path workdir, String dockerHost, LocalRegistry registry, String password,
                                               Map<String, String> buildArgs) {
        return properties(workdir, dockerHost, registry, password, buildArgs, null, null, null);
    }

    /** As above, with git credentials for {@code gitCredentialHost}. */
    public static BuilderProperties properties(Path workdir, String dockerHost, LocalRegistry registry, String password,
                                               Map<String, String> buildArgs, String gitUser, String gitPassword,
                                               String gitCredentialHost) {
        return new BuilderProperties(Duration.ofMinutes(2), Duration.ofSeconds(1), workdir.toString(), buildArgs, List.of(),
                new BuilderProperties.Docker(dockerHost, "256m", 512, null, Duration.ofMinutes(1), "1g"),
                new BuilderProperties.Registry(registry.host(), true, "staging", REGISTRY_USER, password),
                new BuilderProperties.Git(gitUser, gitPassword, gitCredentialHost, Duration.ofSeconds(30),
                        Duration.ofMinutes(10), Duration.ofDays(30), "10g"),
                new BuilderProperties.CloneUrls(List.of("https", "file"), null, true, false, false));
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static BuildRequest request(String repository, TestRepository repo, String sha, String ref, long position) {
        return new BuildRequest(RunIds.runId(repository, sha, ref), repository, repo.cloneUrl(), null, sha, ref,
                Instant.now(), 0, position);
    }
}

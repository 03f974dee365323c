package io.slipway.builder;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.builder.config.BuilderFactory;
import io.slipway.builder.domain.BuildOutcome;
import io.slipway.builder.domain.BuildRequest;
import io.slipway.builder.domain.BuildService;
import io.slipway.builder.domain.StreamedLog;
import io.slipway.builder.domain.Reason;
import io.slipway.common.policy.ImageOwnership;
import io.slipway.common.testing.DockerTestImages;
import io.slipway.common.testing.LocalRegistry;
import io.slipway.common.testing.Skopeo;
import io.slipway.container.DockerEngine;
import io.slipway.container.oci.HttpOciRegistryClient;
import io.slipway.container.oci.Manifest;
import io.slipway.container.oci.RegistryEndpoint;
import io.slipway.schemas.RunIds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static io.slipway.builder.BuilderTestSupport.REGISTRY_PASSWORD;
import static io.slipway.builder.BuilderTestSupport.REGISTRY_USER;
import static io.slipway.builder.BuilderTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests and path filters on the real Docker engine, pushing to a real registry, from a bare repository with request
 * refs. The attack a fork's request is: its Dockerfile prints everything it can see; a fork's build shows no planted secret (a service build
 * arg, git credentials) in its environment, args, log or the staged image's config, while the same build as the
 * repository's own request does get the build arg, which is what makes this test able to fail. Git credentials are
 * refused to a fork's fetch even when the server asks: JGitSourcesOverHttpTest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestBuildsTest {

    private static final String SECRET_ARG = unique("build-arg-secret");
    private static final String GIT_PASSWORD = unique("git-secret");

    private Path tmp;
    private LocalRegistry registry;
    private String base;
    private BuildService service;
    private HttpOciRegistryClient oci;

    @BeforeAll
    void start() throws IOException {
        tmp = Files.createTempDirectory("request-builds");
        registry = LocalRegistry.start(tmp.resolve("registry"), REGISTRY_USER, REGISTRY_PASSWORD);
        base = DockerTestImages.busybox();
        var properties = BuilderTestSupport.properties(tmp.resolve("work"), DockerEngine.DEFAULT_HOST, registry,
                REGISTRY_PASSWORD, Map.of("TOKEN", SECRET_ARG), "ci-bot", GIT_PASSWORD, "https://git.example.test");
        BuilderFactory factory = new BuilderFactory();
        service = factory.buildService(properties, factory.dockerClient(properties), request -> Optional.empty(),
                Clock.systemUTC(), ImageOwnership.ownNamesOnly(), StreamedLog.Streams.NONE);
        oci = new HttpOciRegistryClient(new RegistryEndpoint(registry.host(), true, REGISTRY_USER, REGISTRY_PASSWORD),
                Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    @AfterAll
    void stop() {
        registry.close();
    }

    /** A repository whose main branch holds {@code dockerfile}, with request 5 (its own) and 6 (a fork's) at it. */
    private String repositoryWithRequests(ForgeRepository forge, String image, String dockerfile) {
        String sha = forge.commit("build", Map.of(".slipway.yml", "image: " + image + "\n", "Dockerfile", dockerfile));
        forge.push();
        forge.writeRef("refs/pull/5/head", sha);
        forge.writeRef("refs/pull/6/head", sha);
        return sha;
    }

    private static BuildRequest request(String image, ForgeRepository forge, String sha, int number, boolean fromFork) {
        String ref = "refs/pull/" + number + "/head";
        return new BuildRequest(RunIds.runId(image, sha, ref), image, forge.cloneUrl(), null, sha, ref, Instant.now(),
                0, 0, null, new BuildRequest.ChangeRequest(number, BuildRequest.ChangeRequest.Kind.PULL, "main",
                fromFork ? "eve/" + image : image, fromFork, false));
    }

    private String imageConfig(String repository, String tag) throws IOException {
        Manifest manifest = oci.getManifest(repository, tag);
        try (InputStream config = oci.openBlob(repository, manifest.blobs().get(0).digest())) {
            return new String(config.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String reversed(String text) {
        return new StringBuilder(text).reverse().toString();
    }

    @Test
    void aForksImageCarriesNoServiceBuildArgAndOnlyItsRequestTag() throws IOException {
        String image = "it/" + unique("fork-image");
        ForgeRepository forge = ForgeRepository.create(tmp.resolve(unique("repo")));
        String sha = repositoryWithRequests(forge, image, "FROM " + base + "\nARG TOKEN\nRUN echo \"token=[$TOKEN]\"\n");

        BuildOutcome.Built own = (BuildOutcome.Built) service.build(request(image, forge, sha, 5, false));
        BuildOutcome.Built fork = (BuildOutcome.Built) service.build(request(image, forge, sha, 6, true));

        String sha12 = sha.substring(0, 12);
        assertThat(own.image().tag()).isEqualTo("pr-5-" + sha12);
        assertThat(fork.image().tag()).isEqualTo("pr-6-" + sha12);
        assertThat(imageConfig("staging/" + image, own.image().tag())).as("the test can fail").contains(SECRET_ARG);
        String forkConfig = imageConfig("staging/" + image, fork.image().tag());
        assertThat(forkConfig).contains("token=[$TOKEN]").doesNotContain(SECRET_ARG).doesNotContain(GIT_PASSWORD);
        assertThat(Skopeo.tags(registry, "staging/" + image)).as("no sha or branch tag for a request")
                .containsExactlyInAnyOrder("pr-5-" + sha12, "pr-6-" + sha12);
        JsonNode labels = Skopeo.inspect(registry, "staging/" + image + ":" + fork.image().tag()).get("Labels");
        assertThat(labels.get("io.slipway.request.number").asText()).isEqualTo("6");
        assertThat(labels.get("io.slipway.request.head-sha").asText()).isEqualTo(sha);
        assertThat(labels.get("org.opencontainers.image.version").asText()).isEqualTo("pr-6-" + sha12);
    }

    @Test
    void aForksBuildSeesNoSecretInItsEnvironmentArgsOrLog() {
        String image = "it/" + unique("fork-log");
        ForgeRepository forge = ForgeRepository.create(tmp.resolve(unique("repo")));
        // Reversed, the values escape the log's secret mask, so the log shows what the build really saw.
        String sha = repositoryWithRequests(forge, image, "FROM " + base + "\nARG TOKEN\n"
                + "RUN env | rev; echo \"token=[$TOKEN]\" | rev; exit 7\n");

        BuildOutcome.Failed own = (BuildOutcome.Failed) service.build(request(image, forge, sha, 5, false));
        BuildOutcome.Failed fork = (BuildOutcome.Failed) service.build(request(image, forge, sha, 6, true));

        assertThat(own.reason()).isEqualTo(Reason.BUILD_ERROR);
        assertThat(own.logExcerpt()).as("the test can fail").contains(reversed("token=[" + SECRET_ARG + "]"))
                .contains(reversed("TOKEN=" + SECRET_ARG));
        assertThat(fork.reason()).isEqualTo(Reason.BUILD_ERROR);
        assertThat(fork.logExcerpt()).contains(reversed("token=[]")).contains(reversed("PATH="))
                .doesNotContain(reversed(SECRET_ARG), SECRET_ARG, "****", reversed(GIT_PASSWORD), GIT_PASSWORD);
        assertThat(fork.message()).doesNotContain(SECRET_ARG, GIT_PASSWORD);
    }

    @Test
    void aPushOrRequestNoPathFilterWantsIsIgnoredWithNothingStagedAndAWantedOneIsBuilt() {
        String image = "it/" + unique("paths");
        ForgeRepository forge = ForgeRepository.create(tmp.resolve(unique("repo")));
        String first = forge.commit("app", Map.of(".slipway.yml", "image: " + image + "\npaths:\n  include: [src/**, "
                + "Dockerfile]\n  exclude: ['**/*.md']\n", "Dockerfile", "FROM " + base + "\nCOPY src /src\n",
                "src/app.txt", "v1\n"));
        forge.push();
        forge.checkout("feature", first);
        String docs = forge.commit("docs", Map.of("src/NOTES.md", "notes\n", "guide.txt", "guide\n"));
        forge.push();
        forge.writeRef("refs/pull/5/head", docs);

        BuildOutcome.Failed push = (BuildOutcome.Failed) service.build(new BuildRequest(RunIds.runId(image, docs,
                "refs/heads/feature"), image, forge.cloneUrl(), null, docs, "refs/heads/feature", Instant.now(), 0, 0,
                first, null));
        BuildOutcome.Failed request = (BuildOutcome.Failed) service.build(request(image, forge, docs, 5, false));

        assertThat(push.reason()).isEqualTo(Reason.IGNORED);
        assertThat(push.retryable()).isFalse();
        assertThat(push.message()).contains("none of the 2 path(s)", first.substring(0, 7) + ".." + docs.substring(0, 7),
                "include [src/**, Dockerfile], exclude [**/*.md]");
        assertThat(request.reason()).isEqualTo(Reason.IGNORED);
        assertThat(request.message()).contains("none of the 2 path(s)", "merge base with main");
        assertThat(oci.headManifest("staging/" + image, docs)).as("nothing staged").isEmpty();
        assertThat(oci.headManifest("staging/" + image, "pr-5-" + docs.substring(0, 12))).isEmpty();

        String code = forge.commit("code", Map.of("src/app.txt", "v2\n"));
        forge.push();
        assertThat(service.build(new BuildRequest(RunIds.runId(image, code, "refs/heads/feature"), image,
                forge.cloneUrl(), null, code, "refs/heads/main", Instant.now(), 0, 1, docs, null)))
                .isInstanceOf(BuildOutcome.Built.class);
    }
}

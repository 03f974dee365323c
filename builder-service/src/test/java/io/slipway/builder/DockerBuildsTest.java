package io.slipway.builder;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import io.slipway.builder.config.BuilderFactory;
import io.slipway.common.policy.ImageOwnership;
import io.slipway.builder.domain.BuildOutcome;
import io.slipway.builder.domain.BuildRequest;
import io.slipway.builder.domain.BuildService;
import io.slipway.builder.domain.StreamedLog;
import io.slipway.builder.domain.InfrastructureUnavailable;
import io.slipway.builder.domain.Reason;
import io.slipway.builder.domain.Supersession;
import io.slipway.common.testing.DockerTestImages;
import io.slipway.common.testing.LocalRegistry;
import io.slipway.common.testing.Skopeo;
import io.slipway.container.DockerEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static io.slipway.builder.BuilderTestSupport.REGISTRY_PASSWORD;
import static io.slipway.builder.BuilderTestSupport.properties;
import static io.slipway.builder.BuilderTestSupport.request;
import static io.slipway.builder.BuilderTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The build stage on the machine's real Docker engine, pushing to a real registry with htpasswd auth, from real git
 * repositories; only Kafka is left out (see BuildsThroughKafkaTest).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerBuildsTest {

    private static final String SECRET_ARG = "s3cr3t-token-value";

    private Path tmp;
    private LocalRegistry registry;
    private String base;
    private final BuilderFactory factory = new BuilderFactory();

    @BeforeAll
    void start() throws Exception {
        tmp = Files.createTempDirectory("docker-builds");
        registry = LocalRegistry.start(tmp.resolve("registry"), BuilderTestSupport.REGISTRY_USER, REGISTRY_PASSWORD);
        base = DockerTestImages.busybox();
    }

    @AfterAll
    void stop() {
        registry.close();
    }

    private BuildService service(String dockerHost, String password, Supersession supersession) {
        var properties = properties(tmp.resolve(unique("work")), dockerHost, registry, password,
                Map.of("TOKEN", SECRET_ARG));
        DockerClient docker = factory.dockerClient(properties);
        return factory.buildService(properties, docker, supersession, Clock.systemUTC(),
                ImageOwnership.ownNamesOnly(), StreamedLog.Streams.NONE);
    }

    private BuildService service() {
        return service(DockerEngine.DEFAULT_HOST, REGISTRY_PASSWORD, request -> Optional.empty());
    }

    private BuildRequest commit(String image, Map<String, String> files) {
        TestRepository repo = TestRepository.create(tmp.resolve(unique("repo")));
        String sha = repo.commit("commit", files);
        return request("it/" + image, repo, sha, "refs/heads/main", 0);
    }

    private Map<String, String> app(String image, String dockerfile) {
        return Map.of(".slipway.yml", "image: it/" + image + "\ntests:\n  - tests/suite.yaml\n",
                "Dockerfile", dockerfile, "app.txt", image + "\n", "tests/suite.yaml", "schemaVersion: 2.0.0\n");
    }

    @Test
    void buildsLabelsAndStagesTheImageThenServesTheSameShaFromTheCache() throws Exception {
        String image = unique("good");
        BuildRequest request = commit(image, app(image, "FROM " + base + "\nCOPY app.txt /app.txt\nRUN cat /app.txt\n"));
        BuildService service = service();

        BuildOutcome.Built built = (BuildOutcome.Built) service.build(request);

        assertThat(built.cacheHit()).isFalse();
        assertThat(built.image().repository()).isEqualTo("staging/it/" + image);
        assertThat(built.testSuites()).extracting(BuildOutcome.TestSuite::path).containsExactly("tests/suite.yaml");
        JsonNode pushed = Skopeo.inspect(registry, "staging/it/" + image + ":" + request.sha());
        assertThat(pushed.get("Digest").asText()).isEqualTo(built.image().digest());
        JsonNode labels = pushed.get("Labels");
        assertThat(labels.get("org.opencontainers.image.revision").asText()).isEqualTo(request.sha());
        assertThat(labels.get("org.opencontainers.image.source").asText()).isEqualTo(request.cloneUrl());
        assertThat(labels.get("org.opencontainers.image.created").asText()).startsWith("20");
        assertThat(labels.get("org.opencontainers.image.version").asText()).isEqualTo("main-" + request.shortSha());
        assertThat(labels.get("io.slipway.run-id").asText()).isEqualTo(request.runId());

        BuildOutcome.Built again = (BuildOutcome.Built) service.build(request);

        assertThat(again.cacheHit()).isTrue();
        assertThat(again.image().digest()).isEqualTo(built.image().digest());
        assertThat(again.durationMillis()).isLessThan(1000);
    }

    @Test
    void aFailingStepEndsAsBuildErrorWithTheMaskedLogTailAndTheLimitsApplied() {
        String image = unique("broken");
        BuildRequest request = commit(image, app(image, "FROM " + base + "\nARG TOKEN\n"
                + "RUN echo \"token is $TOKEN\"; cat /sys/fs/cgroup/memory.max 2>/dev/null"
                + " || cat /sys/fs/cgroup/memory/memory.limit_in_bytes; exit 3\n"));

        BuildOutcome.Failed failed = (BuildOutcome.Failed) service().build(request);

        assertThat(failed.reason()).isEqualTo(Reason.BUILD_ERROR);
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.message()).contains("returned a non-zero code: 3");
        assertThat(failed.logExcerpt()).contains("token is ****").contains(Long.toString(256L << 20))
                .doesNotContain(SECRET_ARG);
    }

    /** A commit of {@code files} plus symbolic links (name → target), as {@code ln -s} would commit them. */
    private BuildRequest commitWithLinks(String image, Map<String, String> files, Map<String, String> links) {
        TestRepository repo = TestRepository.create(tmp.resolve(unique("repo")));
        String sha = repo.commit("commit", files);
        for (Map.Entry<String, String> link : links.entrySet()) {
            sha = repo.commitSymlink(link.getKey(), link.getValue());
        }
        return request("it/" + image, repo, sha, "refs/heads/main", 0);
    }

    @Test
    void aLinkToTheHostsEtcDoesNotRevealItsFiles() throws Exception {
        String image = unique("etc-link");
        BuildRequest request = commitWithLinks(image, app(image, "FROM " + base + "\nCOPY e /e\n"
                + "RUN cat /e/hostname /e/machine-id; exit 1\n"), Map.of("e", "/etc"));

        BuildOutcome.Failed failed = (BuildOutcome.Failed) service().build(request);

        assertThat(failed.reason()).isEqualTo(Reason.BUILD_ERROR);
        assertThat(failed.message()).contains("file not found in build context");
        String hostname = Files.readString(Path.of("/etc/hostname")).strip();
        assertThat((failed.message() + "\n" + failed.logExcerpt()).lines().map(String::strip))
                .isNotEmpty().doesNotContain(hostname);
    }

    @Test
    void linksOutOfTheWorkspaceReachNothingBeyondTheContext() throws Exception {
        String image = unique("up-link");
        String secret = unique("host-secret");
        String name = unique("outside") + ".txt";
        Files.writeString(tmp.resolve(name), secret + "\n");
        Path hostDir = Files.createDirectories(tmp.resolve(unique("host-dir")));
        Files.writeString(hostDir.resolve(name), secret + "\n");
        BuildRequest request = commitWithLinks(image, app(image, "FROM " + base + "\nCOPY up/ /up/\n"
                + "RUN ls -a /up; cat /up/" + name + " /up/abs/" + name + "; exit 1\n"),
                Map.of("up", "../../..", "abs", hostDir.toString()));

        BuildOutcome.Failed failed = (BuildOutcome.Failed) service().build(request);

        assertThat(failed.reason()).isEqualTo(Reason.BUILD_ERROR);
        assertThat(failed.logExcerpt()).contains(".slipway.yml").contains("app.txt").doesNotContain(secret);
        assertThat(failed.message()).doesNotContain(secret);
    }

    @Test
    void linksInsideTheWorkspaceWorkAsInDockerBuild() {
        String image = unique("in-link");
        Map<String, String> files = new java.util.HashMap<>(app(image, "FROM " + base + "\n"
                + "COPY link.txt /link.txt\nCOPY lnk/ /lnk/\nCOPY . /src/\n"
                + "RUN test \"$(cat /link.txt)\" = " + image + " && test -f /lnk/inner.txt && test -L /src/link.txt"
                + " && test -L /src/etc\n"));
        files.put("sub/inner.txt", "inner\n");
        BuildRequest request = commitWithLinks(image, files, Map.of("link.txt", "app.txt", "lnk", "sub", "etc", "/etc"));

        BuildOutcome outcome = service().build(request);

        assertThat(outcome).isInstanceOf(BuildOutcome.Built.class);
    }

    @Test
    void aContextThatIsALinkIsRefusedAsInvalidConfiguration() {
        String image = unique("ctx-link");
        Map<String, String> files = new java.util.HashMap<>(app(image, "FROM " + base + "\n"));
        files.put(".slipway.yml", "image: it/" + image + "\ncontext: e\n");
        BuildRequest request = commitWithLinks(image, files, Map.of("e", "/etc"));

        BuildOutcome.Failed failed = (BuildOutcome.Failed) service().build(request);

        assertThat(failed.reason()).isEqualTo(Reason.CONFIG_INVALID);
        assertThat(failed.message()).contains("e/Dockerfile");
    }

    @Test
    void aMissingOrInvalidPipelineFileNamesTheProblem() {
        BuildOutcome.Failed missing = (BuildOutcome.Failed) service().build(commit(unique("none"),
                Map.of("Dockerfile", "FROM scratch\n")));
        BuildOutcome.Failed invalid = (BuildOutcome.Failed) service().build(commit(unique("bad"),
                Map.of(".slipway.yml", "image: it/x\ntest:\n  - a.yaml\n", "Dockerfile", "FROM scratch\n")));

        assertThat(missing.reason()).isEqualTo(Reason.CONFIG_MISSING);
        assertThat(invalid.reason()).isEqualTo(Reason.CONFIG_INVALID);
        assertThat(invalid.message()).contains("line 2: key 'test' is unknown");
    }

    @Test
    void aBuildThatOutlivesItsTimeoutIsStoppedAndItsStepKilled() throws Exception {
        String image = unique("slow");
        String marker = unique("marker");
        Map<String, String> files = new java.util.HashMap<>(app(image, "FROM " + base + "\nRUN sleep 300 && echo " + marker + "\n"));
        files.put(".slipway.yml", "image: it/" + image + "\ntimeout: 3s\n");
        BuildService service = service();
        DockerClient docker = DockerEngine.connect(DockerEngine.DEFAULT_HOST, Duration.ofSeconds(30));

        BuildOutcome.Failed failed = (BuildOutcome.Failed) service.build(commit(image, files));

        assertThat(failed.reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(failed.message()).contains("3s");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(docker.listContainersCmd().exec())
                .noneMatch(c -> c.getCommand() != null && c.getCommand().contains(marker)));
        docker.close();
    }

    @Test
    void wrongRegistryCredentialsFailTheStageBeforeBuilding() {
        String image = unique("creds");
        BuildRequest request = commit(image, app(image, "FROM " + base + "\nCOPY app.txt /app.txt\n"));

        BuildOutcome.Failed failed = (BuildOutcome.Failed) service(DockerEngine.DEFAULT_HOST, "wrong-password",
                r -> Optional.empty()).build(request);

        assertThat(failed.reason()).isEqualTo(Reason.PUSH_FAILED);
        assertThat(failed.message()).contains("refused").contains(registry.host()).doesNotContain("wrong-password");
    }

    @Test
    void anEngineThatIsAwayEndsTheAttemptAsUnreachableAndTheSameCommitBuildsWhenItIsBack() throws Exception {
        String image = unique("flaky");
        BuildRequest request = commit(image, app(image, "FROM " + base + "\nCOPY app.txt /app.txt\n"));
        try (EngineProxy engine = new EngineProxy()) {
            BuildService service = service(engine.dockerHost(), REGISTRY_PASSWORD, r -> Optional.empty());

            assertThatThrownBy(() -> service.build(request)).isInstanceOfSatisfying(InfrastructureUnavailable.class,
                    e -> {
                        assertThat(e.reason()).isEqualTo(Reason.INFRASTRUCTURE);
                        assertThat(e.getMessage()).contains(engine.dockerHost());
                    });
            engine.open();

            assertThat(service.build(request)).isInstanceOfSatisfying(BuildOutcome.Built.class,
                    b -> assertThat(b.cacheHit()).isFalse());
        }
    }
}

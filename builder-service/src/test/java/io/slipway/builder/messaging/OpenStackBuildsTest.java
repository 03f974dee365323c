package io.slipway.builder.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import io.slipway.builder.TestRepository;
import io.slipway.builder.config.BuilderFactory;
import io.slipway.common.policy.ImageOwnership;
import io.slipway.builder.config.BuilderProperties;
import io.slipway.builder.domain.BuildOutcome;
import io.slipway.builder.domain.BuildRequest;
import io.slipway.builder.domain.BuildService;
import io.slipway.builder.domain.Reason;
import io.slipway.container.DockerEngine;
import io.slipway.events.ArtifactKind;
import io.slipway.events.BuildFailed;
import io.slipway.events.Commit;
import io.slipway.events.CommitReceived;
import io.slipway.events.DeployIntent;
import io.slipway.events.ImageBuilt;
import io.slipway.events.SmokeCheck;
import io.slipway.events.Repository;
import io.slipway.events.RunContext;
import io.slipway.openstack.OpenStackApiDouble;
import io.slipway.openstack.VmImageBuilder;
import io.slipway.schemas.RunIds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build stage with {@code backend: openstack}: a real git repository fetched with JGit, the service wired by
 * {@link BuilderFactory} from the environment, and the OpenStack API double in place of the cloud (its state
 * changes count polls, so a 5 ms poll interval makes a whole VM build take milliseconds). No Docker, no Kafka.
 */
class OpenStackBuildsTest {

    private static final String SLIPWAY_YML = """
            backend: openstack
            tests:
              - tests/vm.yaml
            openstack:
              provision: ci/provision.sh
              flavor: "1"
              securityGroups: [default]
            deploy:
              environments: [production]
              smoke: [{path: /, contains: nginx}]
            """;
    private static final String SCRIPT = "#!/bin/sh\nset -e\napt-get install -y nginx\n";

    @TempDir
    Path tmp;
    private OpenStackApiDouble api;
    private Map<String, String> environment;
    private DockerClient docker;

    @BeforeEach
    void start() throws IOException {
        api = new OpenStackApiDouble();
        environment = new HashMap<>(api.environment());
        environment.put("SLIPWAY_OPENSTACK_POLL_INTERVAL", "5ms");
        environment.put("SLIPWAY_OPENSTACK_RETRY_BACKOFF", "5ms");
    }

    @AfterEach
    void stop() throws IOException {
        api.close();
        if (docker != null) {
            docker.close();
        }
    }

    @Test
    void buildsAVmImageAndAnnouncesItAsImageBuiltOfKindVm() {
        CommitReceived commit = commit(Map.of(".slipway.yml", SLIPWAY_YML, "ci/provision.sh", SCRIPT,
                "tests/vm.yaml", "schemaVersion: 2.0.0\n"));

        BuildOutcome outcome = service(true).build(BuildMapping.toRequest(commit, 0, 0));

        assertThat(outcome).isInstanceOf(BuildOutcome.Built.class);
        BuildOutcome.Built built = (BuildOutcome.Built) outcome;
        assertThat(built.kind()).isEqualTo(BuildOutcome.Kind.VM);
        assertThat(built.cacheHit()).isFalse();
        String imageId = built.image().digest();
        ObjectNode stored = api.image(imageId);
        assertThat(stored.path("status").asText()).isEqualTo("active");
        assertThat(stored.path("org.opencontainers.image.revision").asText()).isEqualTo(commit.getRun().getCommit().getSha());
        assertThat(stored.path("io.slipway.run-id").asText()).isEqualTo(commit.getRun().getRunId());
        assertThat(api.servers()).isEmpty();

        ImageBuilt event = (ImageBuilt) BuildMapping.toEvent(commit, outcome, Instant.now());
        assertThat(event.getKind()).isEqualTo(ArtifactKind.VM);
        assertThat(event.getImage().getRegistry()).isEqualTo(api.url() + "/image");
        assertThat(event.getImage().getRepository()).isEqualTo(stored.path("name").asText()).startsWith("acme-web-");
        assertThat(event.getImage().getDigest()).isEqualTo(imageId);
        assertThat(event.getImage().getTag()).isNull();
        assertThat(event.getCacheHit()).isFalse();
        assertThat(event.getTestSuites()).hasSize(1);
        assertThat(event.getTestSuites().get(0).getPath()).isEqualTo("tests/vm.yaml");
        assertThat(event.getTestSuites().get(0).getContent()).isEqualTo("schemaVersion: 2.0.0\n");
        assertThat(event.getDeploy()).isEqualTo(DeployIntent.newBuilder().setEnvironments(List.of("production"))
                .setSmoke(List.of(SmokeCheck.newBuilder().setPath("/").setContains("nginx").build())).build());
    }

    @Test
    void endsAsBuildFailedQuotaExceededWhenNovaRefusesTheServer() {
        CommitReceived commit = commit(Map.of(".slipway.yml", SLIPWAY_YML, "ci/provision.sh", SCRIPT,
                "tests/vm.yaml", "schemaVersion: 2.0.0\n"));
        BuildService service = service(true);
        api.failNext("POST", "^/compute/v2\\.1/servers$", 1, 413, "nova/quota-over-limit-413.json");

        BuildOutcome outcome = service.build(BuildMapping.toRequest(commit, 0, 0));

        BuildFailed event = (BuildFailed) BuildMapping.toEvent(commit, outcome, Instant.now());
        assertThat(event.getReasonCode()).isEqualTo(Reason.QUOTA_EXCEEDED.name());
        assertThat(event.getMessage()).contains("Quota exceeded");
        assertThat(event.getRetryable()).isFalse();
        assertThat(event.getLogExcerpt()).contains("Building a VM image on OpenStack");
        assertThat(api.servers()).isEmpty();
    }

    @Test
    void aMissingProvisioningScriptIsConfigInvalidNamingItsLine() {
        CommitReceived commit = commit(Map.of(".slipway.yml", SLIPWAY_YML, "tests/vm.yaml", "schemaVersion: 2.0.0\n"));

        BuildOutcome outcome = service(true).build(BuildMapping.toRequest(commit, 0, 0));

        assertThat(outcome).isInstanceOfSatisfying(BuildOutcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(Reason.CONFIG_INVALID);
            assertThat(failed.message()).contains(".slipway.yml line 5: provisioning script 'ci/provision.sh' does not exist");
        });
        assertThat(api.count("POST", "/servers")).isZero();
    }

    @Test
    void aBuilderWithoutOpenStackRefusesTheBackendAsConfigInvalid() {
        CommitReceived commit = commit(Map.of(".slipway.yml", SLIPWAY_YML, "ci/provision.sh", SCRIPT,
                "tests/vm.yaml", "schemaVersion: 2.0.0\n"));
        assertThat(BuilderFactory.openStack(Map.of())).isEmpty();

        BuildOutcome outcome = service(false).build(BuildMapping.toRequest(commit, 0, 0));

        assertThat(outcome).isInstanceOfSatisfying(BuildOutcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(Reason.CONFIG_INVALID);
            assertThat(failed.message()).isEqualTo("OpenStack backend is not configured on this builder");
            assertThat(failed.retryable()).isFalse();
        });
    }

    @Test
    void sweepsWhatAKilledBuilderOfThisOwnerLeftAtStartUp() {
        String left = api.seedServer("slipway-build-acme-web-0123456789ab", "ACTIVE", Map.of(
                "io.slipway.managed", "builder", "io.slipway.owner", "builder-0",
                "io.slipway.expires", Instant.now().plus(Duration.ofHours(3)).toString()));

        Optional<VmImageBuilder> builder = BuilderFactory.openStack(environment);

        assertThat(builder).isPresent();
        assertThat(api.deletedServers()).contains(left);
    }

    private BuildService service(boolean openStack) {
        BuilderProperties properties = new BuilderProperties(Duration.ofMinutes(2), Duration.ofSeconds(1),
                tmp.resolve("work").toString(), Map.of(), List.of(),
                new BuilderProperties.Docker(DockerEngine.DEFAULT_HOST, "256m", 512, null, Duration.ofMinutes(1), "1g"),
                new BuilderProperties.Registry("127.0.0.1:1", null, true, "staging", null, null),
                new BuilderProperties.Git(null, null, null, Duration.ofSeconds(30), Duration.ofMinutes(10),
                        Duration.ofDays(30), "10g"),
                new BuilderProperties.CloneUrls(List.of("https", "file"), null, true, false, false),
                new BuilderProperties.LogStream("4m", Duration.ofSeconds(2)));
        BuilderFactory factory = new BuilderFactory();
        docker = factory.dockerClient(properties);
        return factory.buildService(properties, docker, request -> Optional.empty(), Clock.systemUTC(),
                ImageOwnership.ownNamesOnly(), openStack ? BuilderFactory.openStack(environment).orElseThrow() : null);
    }

    private CommitReceived commit(Map<String, String> files) {
        TestRepository repo = TestRepository.create(tmp.resolve("repo"));
        String sha = repo.commit("commit", files);
        repo.close();
        String ref = "refs/heads/main";
        return CommitReceived.newBuilder().setEventId(RunIds.newEventId())
                .setRun(RunContext.newBuilder().setRunId(RunIds.runId("acme/web", sha, ref)).setAttempt(1)
                        .setRepository(Repository.newBuilder().setFullName("acme/web").setCloneUrl(repo.cloneUrl()).build())
                        .setCommit(Commit.newBuilder().setSha(sha).setRef(ref).setMessage("m").setAuthorName("Ada")
                                .setTimestamp(Instant.now()).build())
                        .setTriggeredAt(Instant.now()).build())
                .setSource("generic").setEmittedAt(Instant.now()).build();
    }
}

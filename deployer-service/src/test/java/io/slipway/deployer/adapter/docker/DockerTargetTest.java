package io.slipway.deployer.adapter.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PushResponseItem;
import io.slipway.common.testing.DockerTestImages;
import io.slipway.common.testing.LocalRegistry;
import io.slipway.common.testing.Skopeo;
import io.slipway.common.yaml.StrictYaml;
import io.slipway.container.DockerEngine;
import io.slipway.container.SlipwayLabels;
import io.slipway.deployer.domain.Artifact;
import io.slipway.deployer.domain.DeployFailed;
import io.slipway.deployer.domain.DeployRequest;
import io.slipway.deployer.domain.Deployment;
import io.slipway.deployer.domain.DeploymentTarget;
import io.slipway.deployer.domain.TargetUnavailable;
import io.slipway.devstack.LoopbackPorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Docker-host target against the real engine: images built here FROM a local busybox, pushed to a real registry
 * with auth, and deployed by digest.
 */
class DockerTargetTest {

    private static final String REPOSITORY = "deploy-test/app";
    private static final String USER = "deployer";
    private static final String PASSWORD = "pull-secret";
    private static final String HTTPD = "CMD [\"/bin/httpd\", \"-f\", \"-p\", \"8000\", \"-h\", \"/www\"]";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private static Path tmp;
    private static LocalRegistry registry;
    private static DockerClient docker;
    private static Artifact v1;
    private static Artifact v2;
    private static Artifact failsItsHealthcheck;
    private static Artifact slowHealthcheck;
    private static final List<Artifact> PUBLISHED = new ArrayList<>();

    private String environment;
    private int port;
    private final List<String> foreign = new ArrayList<>();

    @BeforeAll
    static void publishImages() throws Exception {
        tmp = Files.createTempDirectory("docker-target");
        registry = LocalRegistry.start(tmp.resolve("registry"), USER, PASSWORD);
        docker = DockerEngine.connect(DockerEngine.DEFAULT_HOST, Duration.ofSeconds(60));
        String base = DockerTestImages.busybox();
        v1 = publish(base, "v1", "v1", HTTPD);
        v2 = publish(base, "v2", "v2", HTTPD);
        failsItsHealthcheck = publish(base, "broken", "broken",
                "HEALTHCHECK --interval=1s --timeout=1s --retries=1 CMD [\"/bin/false\"]",
                "CMD [\"/bin/sh\", \"-c\", \"echo broken build starting; exec /bin/httpd -f -p 8000 -h /www\"]");
        slowHealthcheck = publish(base, "checked", "checked",
                "HEALTHCHECK --interval=30s CMD [\"/bin/wget\", \"-q\", \"-O\", \"/dev/null\", \"http://127.0.0.1:8000/\"]",
                HTTPD);
    }

    /** Builds an httpd image whose page says {@code page}, pushes it, and removes it locally so a deploy must pull. */
    private static Artifact publish(String base, String tag, String page, String... instructions) throws Exception {
        Path context = Files.createDirectories(tmp.resolve("image-" + tag));
        Files.writeString(context.resolve("Dockerfile"), "FROM " + base + "\n"
                + "RUN mkdir -p /www && echo " + page + " > /www/index.html\n"
                + String.join("\n", instructions) + "\n");
        String name = registry.host() + "/" + REPOSITORY;
        String id = docker.buildImageCmd(context.toFile()).withTags(Set.of(name + ":" + tag)).withPull(false)
                .exec(new BuildImageResultCallback()).awaitImageId(120, TimeUnit.SECONDS);
        docker.pushImageCmd(name).withTag(tag).withAuthConfig(auth())
                .exec(new ResultCallback.Adapter<PushResponseItem>()).awaitCompletion(120, TimeUnit.SECONDS);
        String digest = Skopeo.inspect(registry, REPOSITORY + ":" + tag).path("Digest").asText();
        docker.removeImageCmd(id).withForce(true).exec();
        Artifact artifact = new Artifact(Artifact.Kind.CONTAINER, registry.host(), REPOSITORY, digest);
        PUBLISHED.add(artifact);
        return artifact;
    }

    private static AuthConfig auth() {
        return new AuthConfig().withUsername(USER).withPassword(PASSWORD).withRegistryAddress(registry.host());
    }

    @AfterAll
    static void removeImagesAndRegistry() throws IOException {
        for (Artifact artifact : PUBLISHED) {
            try {
                docker.removeImageCmd(artifact.reference()).withForce(true).exec();
            } catch (NotFoundException e) {
                // never pulled by the tests that ran
            }
        }
        if (registry != null) {
            registry.close();
        }
        docker.close();
        try (var files = Files.walk(tmp)) {
            files.sorted(Collections.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @BeforeEach
    void freshEnvironmentAndPort() throws IOException {
        environment = "dt-" + HexFormat.of().formatHex(new byte[]{(byte) ThreadLocalRandom.current().nextInt(),
                (byte) ThreadLocalRandom.current().nextInt(), (byte) ThreadLocalRandom.current().nextInt()});
        port = LoopbackPorts.free();
    }

    @AfterEach
    void removeContainers() {
        for (Container container : containers()) {
            docker.removeContainerCmd(container.getId()).withForce(true).exec();
        }
        for (String name : foreign) {
            docker.removeContainerCmd(name).withForce(true).exec();
        }
    }

    private DeploymentTarget target(String host) {
        return target(host, null);
    }

    private DeploymentTarget target(String host, String network) {
        String yaml = "kind: docker\n"
                + (host == null ? "" : "host: " + host + "\n")
                + (network == null ? "" : "network: " + network + "\n")
                + "ports: ['127.0.0.1:" + port + ":8000']\n"
                + "env: {GREETING: hello}\n"
                + "env-from: {API_TOKEN: SLIPWAY_DEPLOYER_API_TOKEN}\n"
                + "memory: 64m\n"
                + "cpus: 0.5\n"
                + "health: {path: /, timeout: 20s}\n"
                + "registry-username: " + USER + "\n"
                + "registry-password-env: SLIPWAY_DEPLOYER_REGISTRY_PASSWORD\n";
        Map<String, String> secrets = Map.of("SLIPWAY_DEPLOYER_API_TOKEN", "t0ken",
                "SLIPWAY_DEPLOYER_REGISTRY_PASSWORD", PASSWORD);
        return new DockerTargetFactory().create(environment, StrictYaml.read("environments.yml", yaml).orElseThrow()
                .map(), secrets::get);
    }

    private DeploymentTarget target() {
        return target(null);
    }

    private DeployRequest request(Artifact artifact) {
        return new DeployRequest(environment, "demo/app", artifact, "run-" + artifact.digest().substring(7, 15),
                "c0ffee", false);
    }

    /**
     * 0 when {@code GET /} of {@code address:port} answers 200 to a container attached to {@code network} only (busybox's
     * nc: its static wget crashes in these containers).
     */
    private static int fetchedOnNetwork(String network, String address, int port) {
        String probe = docker.createContainerCmd(DockerTestImages.busybox())
                .withCmd("sh", "-c", "printf 'GET / HTTP/1.0\r\n\r\n' | nc -w 5 " + address + " " + port
                        + " | grep -q '^HTTP/1.[01] 200'")
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode(network)).exec().getId();
        try {
            docker.startContainerCmd(probe).exec();
            return docker.waitContainerCmd(probe).start().awaitStatusCode(30, TimeUnit.SECONDS);
        } finally {
            docker.removeContainerCmd(probe).withForce(true).exec();
        }
    }

    private String name() {
        return ContainerNames.of(environment, "demo/app").current();
    }

    /** Every container, in any state, that carries this test's environment label. */
    private List<Container> containers() {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerTarget.ENVIRONMENT_LABEL, environment)).exec();
    }

    private String page() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body().strip() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Test
    void deploysTheDigestAsTheEnvironmentsNamedContainer() throws Exception {
        Deployment deployment = target().deploy(request(v1));

        assertThat(deployment.url()).contains("http://127.0.0.1:" + port + "/");
        assertThat(page()).isEqualTo("v1");
        InspectContainerResponse container = docker.inspectContainerCmd(name()).exec();
        assertThat(container.getConfig().getImage()).isEqualTo(v1.reference());
        assertThat(container.getConfig().getLabels()).containsAllEntriesOf(Map.of(
                DockerTarget.ENVIRONMENT_LABEL, environment, DockerTarget.REPOSITORY_LABEL, "demo/app",
                SlipwayLabels.RUN_ID, request(v1).runId(), DockerTarget.DIGEST_LABEL, v1.digest()));
        assertThat(container.getConfig().getEnv()).contains("GREETING=hello", "API_TOKEN=t0ken");
        assertThat(container.getHostConfig().getRestartPolicy().getName()).isEqualTo("unless-stopped");
        assertThat(container.getHostConfig().getCapDrop()).containsExactly(Capability.ALL);
        assertThat(container.getHostConfig().getSecurityOpts()).contains("no-new-privileges");
        assertThat(container.getHostConfig().getMemory()).isEqualTo(64L << 20);
        assertThat(container.getHostConfig().getNanoCPUs()).isEqualTo(500_000_000L);
        assertThat(containers()).hasSize(1);
    }

    @Test
    void theContainerIsCreatedOnTheConfiguredNetworkWhereOthersOnItReachItAndReportedUnderItsNameThere()
            throws Exception {
        String network = environment + "-apps";
        docker.createNetworkCmd().withName(network).withDriver("bridge").exec();
        try {
            Deployment deployment = target(null, network).deploy(request(v1));

            // A deployer on that network (in a container, as in docker-compose) smoke-checks it by name.
            assertThat(deployment.url()).contains("http://" + name() + ":8000/");

            InspectContainerResponse container = docker.inspectContainerCmd(name()).exec();
            assertThat(container.getHostConfig().getNetworkMode()).isEqualTo(network);
            assertThat(container.getNetworkSettings().getNetworks()).containsOnlyKeys(network);
            assertThat(page()).isEqualTo("v1");
            // By address: the static busybox cannot resolve names; Docker's DNS gives the name on such a network.
            String address = container.getNetworkSettings().getNetworks().get(network).getIpAddress();
            assertThat(fetchedOnNetwork(network, address, 8000)).as("from the network").isZero();
        } finally {
            removeContainers();
            docker.removeNetworkCmd(network).exec();
        }
    }

    @Test
    void aNetworkThatDoesNotExistIsConfigInvalidBeforeAnythingIsPulledOrCreated() {
        String network = environment + "-missing";

        assertThatThrownBy(() -> target(null, network).deploy(request(v1)))
                .isInstanceOfSatisfying(DeployFailed.class, e -> {
                    assertThat(e.reasonCode()).isEqualTo("CONFIG_INVALID");
                    assertThat(e.getMessage()).contains("network " + network, "does not exist",
                            "docker network create " + network);
                });
        assertThat(containers()).isEmpty();
    }

    @Test
    void aNewerDigestReplacesTheContainerOnTheSamePortWithABriefDowntime() throws Exception {
        DeploymentTarget target = target();
        target.deploy(request(v1));
        String old = docker.inspectContainerCmd(name()).exec().getId();

        Downtime downtime = Downtime.watch(this::page);
        Deployment deployment;
        try {
            deployment = target.deploy(request(v2));
        } finally {
            downtime.stop();
        }

        assertThat(page()).isEqualTo("v2");
        assertThat(containers()).singleElement().satisfies(c -> {
            assertThat(c.getNames()).containsExactly("/" + name());
            assertThat(c.getLabels()).containsEntry(DockerTarget.DIGEST_LABEL, v2.digest());
            assertThat(c.getId()).isNotEqualTo(old);
        });
        System.out.printf("replacement (HTTP probe): deploy took %d ms, longest gap between answers %d ms%n",
                deployment.took().toMillis(), downtime.longestGapMillis());
        assertThat(downtime.longestGapMillis()).isLessThan(10_000);
    }

    @Test
    void anImageHealthcheckGatesWithoutWaitingForTheEnginesInterval() throws Exception {
        DeploymentTarget target = target();
        target.deploy(request(v1));

        Downtime downtime = Downtime.watch(this::page);
        Deployment deployment;
        try {
            deployment = target.deploy(request(slowHealthcheck));
        } finally {
            downtime.stop();
        }

        assertThat(page()).isEqualTo("checked");
        assertThat(deployment.took()).isLessThan(Duration.ofSeconds(25));
        assertThat(containers()).singleElement().satisfies(c ->
                assertThat(c.getLabels()).containsEntry(DockerTarget.DIGEST_LABEL, slowHealthcheck.digest()));
        System.out.printf("replacement (HEALTHCHECK, 30s interval): deploy took %d ms, longest gap %d ms%n",
                deployment.took().toMillis(), downtime.longestGapMillis());
    }

    @Test
    void aHealthcheckImageStillStartingByTheEnginesClockCountsAsRunningWhenItsCheckPasses() throws Exception {
        DeploymentTarget target = target();
        target.deploy(request(slowHealthcheck));
        InspectContainerResponse before = docker.inspectContainerCmd(name()).exec();
        assertThat(before.getState().getHealth().getStatus()).isEqualTo("starting");

        target.deploy(request(slowHealthcheck));

        assertThat(docker.inspectContainerCmd(name()).exec().getId()).isEqualTo(before.getId());
    }

    @Test
    void anUnhealthyNewImageFailsAndTheOldContainerServesAgain() throws Exception {
        DeploymentTarget target = target();
        target.deploy(request(v1));
        String old = docker.inspectContainerCmd(name()).exec().getId();

        assertThatThrownBy(() -> target.deploy(request(failsItsHealthcheck)))
                .isInstanceOfSatisfying(DeployFailed.class, e -> {
                    assertThat(e.reasonCode()).isEqualTo("UNHEALTHY");
                    assertThat(e.getMessage()).contains("unhealthy", "previous container serves again");
                    assertThat(e.logExcerpt()).contains("broken build starting");
                });

        assertThat(page()).isEqualTo("v1");
        assertThat(containers()).singleElement().satisfies(c -> {
            assertThat(c.getId()).isEqualTo(old);
            assertThat(c.getNames()).containsExactly("/" + name());
            assertThat(c.getState()).isEqualTo("running");
        });
    }

    @Test
    void aFirstDeploymentThatIsUnhealthyLeavesNothingBehind() {
        assertThatThrownBy(() -> target().deploy(request(failsItsHealthcheck)))
                .isInstanceOfSatisfying(DeployFailed.class, e -> {
                    assertThat(e.reasonCode()).isEqualTo("UNHEALTHY");
                    assertThat(e.getMessage()).contains("nothing ran there before");
                });

        assertThat(containers()).isEmpty();
    }

    @Test
    void deployingWhatAlreadyRunsHealthyChangesNothing() throws Exception {
        DeploymentTarget target = target();
        target.deploy(request(v1));
        InspectContainerResponse before = docker.inspectContainerCmd(name()).exec();

        Deployment again = target.deploy(request(v1));

        InspectContainerResponse after = docker.inspectContainerCmd(name()).exec();
        assertThat(after.getId()).isEqualTo(before.getId());
        assertThat(after.getState().getStartedAt()).isEqualTo(before.getState().getStartedAt());
        assertThat(again.url()).contains("http://127.0.0.1:" + port + "/");
        assertThat(containers()).hasSize(1);
    }

    @Test
    void leftoversOfAnInterruptedDeploymentAreUndoneSoTheLastGoodContainerServes() throws Exception {
        DockerTarget target = (DockerTarget) target();
        target.deploy(request(v1));
        String good = docker.inspectContainerCmd(name()).exec().getId();
        // What a deployer killed after the swap and before the health gate leaves: the old container stopped under
        // …-previous, the unverified new one under the name, and a second attempt's …-next.
        docker.stopContainerCmd(good).withTimeout(1).exec();
        docker.renameContainerCmd(good).withName(name() + "-previous").exec();
        pull(v2);
        leftover(v2, name());
        leftover(v2, name() + "-next");

        target.reconcile("demo/app");

        assertThat(containers()).singleElement().satisfies(c -> {
            assertThat(c.getId()).isEqualTo(good);
            assertThat(c.getNames()).containsExactly("/" + name());
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> "v1".equals(page()));
    }

    @Test
    void aNextContainerLeftBehindIsRemovedByTheNextDeployment() throws Exception {
        DeploymentTarget target = target();
        target.deploy(request(v1));
        String good = docker.inspectContainerCmd(name()).exec().getId();
        pull(v2);
        leftover(v2, name() + "-next");

        target.deploy(request(v1));

        assertThat(containers()).singleElement().satisfies(c -> assertThat(c.getId()).isEqualTo(good));
        assertThat(page()).isEqualTo("v1");
    }

    @Test
    void aDigestTheRegistryDoesNotHaveIsAPullFailureAndChangesNothing() throws Exception {
        DeploymentTarget target = target();
        target.deploy(request(v1));
        Artifact missing = new Artifact(Artifact.Kind.CONTAINER, registry.host(), REPOSITORY,
                "sha256:" + "0".repeat(64));

        assertThatThrownBy(() -> target.deploy(request(missing)))
                .isInstanceOfSatisfying(DeployFailed.class, e -> assertThat(e.reasonCode()).isEqualTo("PULL_FAILED"));

        assertThat(containers()).singleElement().satisfies(c ->
                assertThat(c.getLabels()).containsEntry(DockerTarget.DIGEST_LABEL, v1.digest()));
        assertThat(page()).isEqualTo("v1");
    }

    @Test
    void anEngineThatDoesNotAnswerIsUnavailableUntilItDoes() throws Exception {
        Path socket = Files.createDirectories(tmp.resolve("engine-" + environment)).resolve("docker.sock");
        DeploymentTarget target = target("unix://" + socket);

        assertThatThrownBy(() -> target.deploy(request(v1))).isInstanceOf(TargetUnavailable.class)
                .hasMessageContaining("does not answer").hasMessageContaining("nothing changed");
        assertThat(containers()).isEmpty();

        Files.createSymbolicLink(socket, Path.of(URI.create(DockerEngine.DEFAULT_HOST).getPath()));
        target.deploy(request(v1));

        assertThat(page()).isEqualTo("v1");
    }

    @Test
    void aHostPortTakenByAnotherProcessFailsTheDeploymentAndTheNextOneSucceedsOnceItIsFree() throws Exception {
        DeploymentTarget target = target();
        target.deploy(request(v1));
        docker.stopContainerCmd(name()).exec();

        try (ServerSocket taken = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> target.deploy(request(v2))).isInstanceOfSatisfying(DeployFailed.class, e -> {
                assertThat(e.reasonCode()).isEqualTo("START_FAILED");
                assertThat(e.getMessage()).contains("address already in use", "could not start again either");
            });
        }
        assertThat(containers()).singleElement().satisfies(c -> assertThat(c.getLabels())
                .containsEntry(DockerTarget.DIGEST_LABEL, v1.digest()));

        target.deploy(request(v2));

        assertThat(page()).isEqualTo("v2");
        assertThat(containers()).hasSize(1);
    }

    @Test
    void aContainerOfTheSameNameThatSlipwayDidNotMakeIsLeftAlone() {
        String id = docker.createContainerCmd(DockerTestImages.busybox()).withName(name()).withCmd("true").exec().getId();
        foreign.add(id);

        assertThatThrownBy(() -> target().deploy(request(v1))).isInstanceOfSatisfying(DeployFailed.class, e -> {
            assertThat(e.reasonCode()).isEqualTo("CONFIG_INVALID");
            assertThat(e.getMessage()).contains(name(), "did not make");
        });
        assertThat(docker.inspectContainerCmd(name()).exec().getId()).isEqualTo(id);
    }

    private static void pull(Artifact artifact) throws InterruptedException {
        docker.pullImageCmd(artifact.registry() + "/" + artifact.repository()).withTag(artifact.digest())
                .withAuthConfig(auth()).exec(new PullImageResultCallback()).awaitCompletion(60, TimeUnit.SECONDS);
    }

    /** A container the target would have made for {@code artifact}, under {@code containerName}, not started. */
    private void leftover(Artifact artifact, String containerName) {
        docker.createContainerCmd(artifact.reference()).withName(containerName).withLabels(Map.of(
                SlipwayLabels.MANAGED, DockerTarget.STAGE, DockerTarget.ENVIRONMENT_LABEL, environment,
                DockerTarget.REPOSITORY_LABEL, "demo/app", DockerTarget.DIGEST_LABEL, artifact.digest())).exec();
    }

    /** Asks the page every 20 ms while a deployment runs; the downtime is the longest time between two answers. */
    private static final class Downtime {
        private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
        private final ConcurrentLinkedQueue<Long> answered = new ConcurrentLinkedQueue<>();

        static Downtime watch(java.util.function.Supplier<String> page) {
            Downtime downtime = new Downtime();
            downtime.poller.scheduleAtFixedRate(() -> {
                if (page.get() != null) {
                    downtime.answered.add(System.nanoTime());
                }
            }, 0, 20, TimeUnit.MILLISECONDS);
            return downtime;
        }

        void stop() throws InterruptedException {
            poller.shutdown();
            assertThat(poller.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        long longestGapMillis() {
            List<Long> times = List.copyOf(answered);
            long longest = 0;
            for (int i = 1; i < times.size(); i++) {
                longest = Math.max(longest, times.get(i) - times.get(i - 1));
            }
            return TimeUnit.NANOSECONDS.toMillis(longest);
        }
    }
}

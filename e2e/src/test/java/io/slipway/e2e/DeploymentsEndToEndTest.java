package io.slipway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.devstack.LoopbackPorts;
import io.slipway.events.BuildFailed;
import io.slipway.events.Deployed;
import io.slipway.events.Stage;
import io.slipway.schemas.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Environments as an operator runs them under {@code ./slipway up}: an environments file of the test's own, staging
 * deployed at once on the local Docker engine (any branch), production after staging with an operator's approval
 * (main only), each on a free loopback port. The deployments are read back by Slipway's deserializer and by
 * Confluent's Python client, the pages by HTTP, the containers from the engine. The tests run one after another and
 * each removes the containers of its repository, since every repository's staging binds the same port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeploymentsEndToEndTest {

    private static final String GREETING = "Hello from a Slipway-built image";
    private static final Duration DEPLOY_TIMEOUT = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Unique on this engine, so the containers (named after the repository) are this class's and no one else's. */
    private final String owner = "e2e";
    private final String prefix = "deploy-" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicInteger repositories = new AtomicInteger();
    private final List<String> created = new ArrayList<>();
    private SlipwayStack slipway;
    private PipelineEvents events;
    private URI stagingUrl;
    private URI productionUrl;

    @BeforeAll
    void startSlipway() throws IOException {
        int staging = LoopbackPorts.free();
        int production = LoopbackPorts.free();
        stagingUrl = URI.create("http://127.0.0.1:" + staging + "/");
        productionUrl = URI.create("http://127.0.0.1:" + production + "/");
        Files.createDirectories(Path.of("target"));
        Path environments = Files.createTempFile(Path.of("target").toAbsolutePath(), "environments-", ".yml");
        Files.writeString(environments, String.join("\n",
                "environments:",
                "  staging:",
                "    repositories: [\"" + owner + "/" + prefix + "-*\"]",
                "    refs: [\"refs/heads/*\"]",
                "    url: " + stagingUrl,
                "    smoke:",
                "      - {path: /, status: 200}",
                target(staging),
                "  production:",
                "    after: staging",
                "    approval: true",
                "    repositories: [\"" + owner + "/" + prefix + "-*\"]",
                "    refs: [\"refs/heads/main\"]",
                "    url: " + productionUrl,
                "    smoke:",
                "      - {path: /, status: 200}",
                target(production),
                ""));
        slipway = SlipwayStack.start(Map.of("SLIPWAY_DEPLOYER_ENVIRONMENTS", environments.toString()));
        events = slipway.events();
    }

    @AfterEach
    void removeContainers() {
        created.forEach(this::removeContainersOf);
        created.clear();
    }

    @AfterAll
    void stopSlipway() {
        if (slipway != null) {
            slipway.close();
        }
    }

    @Test
    void aPushIsDeployedToStagingAndAfterApprovalToProduction() {
        SampleRepository app = newRepository();
        SampleRepository.Push push = app.push();
        String digest = events.awaitPublished(push.runId()).getDigest();

        Deployed staging = awaitDeployed(push.runId(), "staging", false);
        assertThat(staging.getDigest()).isEqualTo(digest);
        assertThat(staging.getRepository()).isEqualTo(app.name());
        assertThat(staging.getUrl()).isEqualTo(stagingUrl.toString());
        assertThat(page(stagingUrl)).contains(GREETING);
        assertThat(events.decodedByPython(Topics.DEPLOYMENTS, push.runId())).singleElement().satisfies(line -> {
            assertThat(line.path("key").asText()).isEqualTo(app.name());
            assertThat(line.path("record").path("environment").asText()).isEqualTo("staging");
            assertThat(line.path("record").path("digest").asText()).isEqualTo(digest);
            assertThat(line.path("record").path("rollback").asBoolean()).isFalse();
        });
        JsonNode waiting = awaitPending(app.name(), push.runId());
        assertThat(waiting.path("approvalRequired").asBoolean()).isTrue();
        assertThat(events.ofRun(push.runId(), Deployed.class)).as("deployments before the approval")
                .noneMatch(d -> d.getEnvironment().equals("production"));

        String approved = slipway.command("approve", push.runId(), "production");

        assertThat(approved).contains("is deployed to production");
        Deployed production = awaitDeployed(push.runId(), "production", false);
        assertThat(production.getDigest()).isEqualTo(digest);
        assertThat(page(productionUrl)).contains(GREETING);
        assertThat(events.decodedByPython(Topics.DEPLOYMENTS, push.runId()))
                .extracting(line -> line.path("record").path("environment").asText())
                .containsExactlyInAnyOrder("staging", "production");
        assertThat(slipway.command("envs")).containsPattern("production +" + app.name());
    }

    @Test
    void aBranchNotAllowedInProductionIsDeployedToStagingButNeverWaitsForProduction() {
        SampleRepository app = newRepository();
        app.commit("A change on a feature branch", "www/index.html", page -> page + "<!-- feature -->\n");
        SampleRepository.Push push = app.push("feature");

        awaitDeployed(push.runId(), "staging", false);
        assertThat(page(stagingUrl)).contains("<!-- feature -->");

        HttpResponse<String> approval = slipway.deployer("/approvals",
                "{\"run\":\"" + push.runId() + "\",\"environment\":\"production\",\"by\":\"e2e\"}");
        assertThat(approval.statusCode()).as(approval.body()).isEqualTo(409);
        assertThat(approval.body()).contains("may not go to production");
        assertThat(slot(app.name(), "production")).isEmpty();
        assertThat(events.ofRun(push.runId(), Deployed.class)).extracting(Deployed::getEnvironment)
                .containsExactly("staging");
    }

    @Test
    void aDeploymentThatFailsItsSmokeCheckIsRolledBackToTheDigestBefore() {
        SampleRepository app = newRepository();
        SampleRepository.Push good = app.push();
        String goodDigest = awaitDeployed(good.runId(), "staging", false).getDigest();
        // The team changes the greeting and its test, but the smoke check in .slipway.yml still expects the old one.
        app.commit("Change the greeting and its test", Map.of(), work -> {
            SampleRepository.rewrite(work.resolve("www/index.html"), page -> page.replace(GREETING, "Goodbye"));
            SampleRepository.rewrite(work.resolve("tests/structure.yaml"), test -> test.replace(GREETING, "Goodbye"));
        });
        SampleRepository.Push bad = app.push();
        String badDigest = events.awaitPublished(bad.runId()).getDigest();

        BuildFailed failed = awaitDeployFailure(bad.runId());

        assertThat(failed.getReasonCode()).isEqualTo("SMOKE_FAILED");
        assertThat(failed.getEnvironment()).isEqualTo("staging");
        assertThat(awaitDeployed(bad.runId(), "staging", false).getDigest()).isEqualTo(badDigest);
        Deployed rollback = awaitDeployed(good.runId(), "staging", true);
        assertThat(rollback.getDigest()).isEqualTo(goodDigest);
        assertThat(rollback.getRolledBackRunId()).isEqualTo(bad.runId());
        assertThat(rollback.getReason()).isEqualTo("SMOKE_FAILED");
        assertThat(page(stagingUrl)).contains(GREETING);
        assertThat(container(app.name(), "staging")).contains("digest=" + goodDigest);
        assertThat(events.decodedByPython(Topics.DEPLOYMENTS, good.runId()))
                .anySatisfy(line -> assertThat(line.path("record").path("rollback").asBoolean()).isTrue());
    }

    @Test
    void aDeployerKilledWhileWaitingForHealthDeploysTheRunOnceAfterUpAndLeavesNoOrphan() {
        SampleRepository app = newRepository();
        // The page answers ten seconds after the container starts: the deployer waits for its health that long.
        String slowStart = "[\"/bin/sh\", \"-c\", \"sleep 10; exec /bin/httpd -f -p 8000 -h /www\"]";
        app.commit("Start the page ten seconds late", Map.of(), work -> {
            SampleRepository.rewrite(work.resolve("Dockerfile"), file -> file.replaceFirst("(?m)^ENTRYPOINT .*$",
                    "ENTRYPOINT " + slowStart));
            SampleRepository.rewrite(work.resolve("tests/structure.yaml"), test -> test.replaceFirst(
                    "(?m)^  entrypoint: .*$", "  entrypoint: " + slowStart));
        });
        SampleRepository.Push push = app.push();
        events.awaitPublished(push.runId());
        String name = containerName("staging", app.name());

        await("the deployer waiting for the health of " + name).atMost(DEPLOY_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> inspect(name, "{{.State.Running}} {{.State.Health.Status}} {{index .Config.Labels \"io.slipway.run-id\"}}"),
                        state -> state.equals("true starting " + push.runId()));
        slipway.kill("deployer-service");
        assertThat(events.ofRun(push.runId(), Deployed.class)).as("Deployed before the kill").isEmpty();

        slipway.upAgain();

        awaitDeployed(push.runId(), "staging", false);
        // The promotion is written after the smoke checks: the run's processing is over once it waits.
        awaitPending(app.name(), push.runId());
        assertThat(events.ofRun(push.runId(), Deployed.class)).as("Deployed of the run").hasSize(1);
        assertThat(containersOf(app.name())).containsExactly(name);
        assertThat(page(stagingUrl)).contains(GREETING);
    }

    private SampleRepository newRepository() {
        String name = owner + "/" + prefix + "-" + repositories.incrementAndGet();
        created.add(name);
        return slipway.repository(name, false);
    }

    private Deployed awaitDeployed(String runId, String environment, boolean rollback) {
        return await("Deployed " + environment + (rollback ? " (rollback)" : "") + " of run " + runId)
                .atMost(DEPLOY_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> events.ofRun(runId, Deployed.class).stream()
                        .filter(d -> d.getEnvironment().equals(environment) && d.getRollback() == rollback)
                        .findFirst(), Optional::isPresent).orElseThrow();
    }

    private BuildFailed awaitDeployFailure(String runId) {
        return await("BuildFailed at DEPLOY of run " + runId).atMost(DEPLOY_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> events.ofRun(runId, BuildFailed.class).stream()
                        .filter(f -> f.getStage() == Stage.DEPLOY).findFirst(), Optional::isPresent).orElseThrow();
    }

    /** The promotion of {@code runId} waiting in production, as {@code GET /environments} shows it. */
    private JsonNode awaitPending(String repository, String runId) {
        return await("promotion of run " + runId + " waiting in production").atMost(DEPLOY_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> slot(repository, "production").map(s -> s.path("pending"))
                        .filter(p -> p.path("runId").asText().equals(runId)), Optional::isPresent).orElseThrow();
    }

    private Optional<JsonNode> slot(String repository, String environment) {
        return StreamSupport.stream(slipway.environments().spliterator(), false)
                .filter(e -> e.path("repository").asText().equals(repository)
                        && e.path("environment").asText().equals(environment)).findFirst();
    }

    private static String page(URI url) {
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("GET %s", url).isEqualTo(200);
            return answer.body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The label that says what the environment's container runs: {@code digest=…}. */
    private String container(String repository, String environment) {
        return inspect(containerName(environment, repository), "digest={{index .Config.Labels \"io.slipway.digest\"}}");
    }

    /** {@code docker inspect} of a container with a Go template; empty when there is no such container. */
    private static String inspect(String container, String format) {
        try {
            return docker("inspect", "--type", "container", "-f", format, container).strip();
        } catch (AssertionError noSuchContainer) {
            return "";
        }
    }

    /** The names of every container, running or not, labelled with {@code repository}. */
    private static List<String> containersOf(String repository) {
        return Arrays.stream(docker("ps", "-a", "--filter", "label=io.slipway.repository=" + repository,
                "--format", "{{.Names}}").split("\n")).map(String::strip).filter(n -> !n.isEmpty()).toList();
    }

    private void removeContainersOf(String repository) {
        List<String> names = containersOf(repository);
        if (!names.isEmpty()) {
            List<String> command = new ArrayList<>(List.of("rm", "-f"));
            command.addAll(names);
            docker(command.toArray(String[]::new));
        }
    }

    private static String containerName(String environment, String repository) {
        return ("slipway-" + environment + "-" + repository.replace('/', '-')).toLowerCase(java.util.Locale.ROOT);
    }

    private static String docker(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "docker";
        System.arraycopy(args, 0, command, 1, args.length);
        return Commands.run(Path.of("").toAbsolutePath(), Map.of(), Duration.ofSeconds(60), command);
    }

    private static String target(int port) {
        return String.join("\n",
                "    target:",
                "      kind: docker",
                "      ports: [\"127.0.0.1:" + port + ":8000\"]",
                "      memory: 256m",
                "      registry-username: releaser",
                "      registry-password-env: SLIPWAY_RELEASE_REGISTRY_PASSWORD");
    }
}

package io.slipway.e2e;

import io.slipway.devstack.LoopbackPorts;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.BuildFailed;
import io.slipway.events.CommitReceived;
import io.slipway.events.Deployed;
import io.slipway.events.ImageBuilt;
import io.slipway.events.TestsPassed;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The docker-compose stack as an operator runs it: {@code ./slipway images}, {@code ./slipway compose-env},
 * {@code docker-compose up -d} of the repository's docker-compose.yml (its own project name, an env file of its own
 * with free loopback ports, so a developer's stack is left alone), then real {@code git push}es to a bare repository
 * under {@code SLIPWAY_GIT_ROOT} with trigger-service's post-receive hook. It reads the topics through Kafka's external
 * listener as ops, the release registry through its read-only instance, the staging app on the port
 * deploy/environments.compose.yml publishes. The tests run in order on one stack; it is removed with its volumes and
 * the deployed app at the end, whatever happened.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeEndToEndTest {

    private static final Path REPO = SlipwayStack.repositoryRoot();
    private static final Duration IMAGES_TIMEOUT = Duration.ofMinutes(40);
    private static final Duration COMPOSE_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration HEALTHY_TIMEOUT = Duration.ofMinutes(6);
    private static final Duration DEPLOY_TIMEOUT = Duration.ofMinutes(4);
    /** Where deploy/environments.compose.yml publishes staging's app. */
    private static final URI STAGING = URI.create("http://127.0.0.1:28180/");
    private static final String GREETING = "Hello from a Slipway-built image";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    /** Matches the environments file's {@code demo/*}; unique, so its app container is this test's alone. */
    private final String repository = "demo/compose-" + suffix;
    private final String project = "slipway-e2e-" + suffix;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final List<String> runs = new ArrayList<>();
    private Path dir;
    private Path envFile;
    private SampleRepository app;
    private PipelineEvents events;

    @BeforeAll
    void startTheStack() throws IOException {
        dir = Files.createTempDirectory("slipway-compose-e2e-");
        Path gitRoot = Files.createDirectories(dir.resolve("git"));
        // The builder runs as an unprivileged user and reads the bare repositories through its read-only mount.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        envFile = dir.resolve("compose.env");
        long started = System.nanoTime();
        Commands.run(REPO, Map.of(), IMAGES_TIMEOUT, "./slipway", "images");
        System.out.printf("./slipway images: %d s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
        Commands.run(REPO, Map.of("SLIPWAY_GIT_ROOT", gitRoot.toString()), Duration.ofMinutes(1),
                "./slipway", "compose-env", envFile.toString());
        assertThat(Files.getPosixFilePermissions(envFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        for (String port : List.of("SLIPWAY_TRIGGER_PORT", "SLIPWAY_TESTER_PORT", "SLIPWAY_DEPLOYER_PORT",
                "SLIPWAY_DASHBOARD_PORT", "SLIPWAY_SCHEMA_REGISTRY_PORT", "SLIPWAY_KAFKA_EXTERNAL_PORT",
                "SLIPWAY_STAGING_REGISTRY_PORT", "SLIPWAY_RELEASE_REGISTRY_PORT")) {
            Files.writeString(envFile, port + "=" + LoopbackPorts.free() + "\n", StandardOpenOption.APPEND);
        }
        for (String line : Files.readAllLines(envFile)) {
            if (!line.startsWith("#") && line.contains("=")) {
                settings.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        Path secret = dir.resolve("webhook.secret");
        Files.writeString(secret, settings.get("SLIPWAY_WEBHOOK_SECRET"));
        started = System.nanoTime();
        compose("up", "-d");
        awaitAllHealthy();
        System.out.printf("docker-compose up -d to all healthy: %d s%n",
                Duration.ofNanos(System.nanoTime() - started).toSeconds());
        Path appDir = Files.createDirectories(gitRoot.resolve("compose-" + suffix));
        app = SampleRepository.create(REPO, appDir, repository, repository,
                "http://127.0.0.1:" + settings.get("SLIPWAY_TRIGGER_PORT"), secret);
        events = opsEvents();
    }

    @AfterAll
    void removeTheStack() {
        if (events != null) {
            events.close();
        }
        if (envFile != null) {
            try {
                compose("down", "-v", "--remove-orphans");
            } finally {
                List<String> containers = Arrays.stream(docker("ps", "-aq", "--filter",
                        "label=io.slipway.repository=" + repository).split("\\s+")).filter(s -> !s.isBlank()).toList();
                if (!containers.isEmpty()) {
                    docker(Stream.concat(Stream.of("rm", "-f"), containers.stream()).toArray(String[]::new));
                }
            }
        }
    }

    @Test
    @Order(1)
    void aPushThroughThePostReceiveHookIsBuiltTestedPublishedAndDeployedToStaging() {
        long started = System.nanoTime();
        SampleRepository.Push push = app.push();
        runs.add(push.runId());

        ArtifactPublished published = events.awaitPublished(push.runId());
        Deployed staging = awaitDeployed(push.runId());
        System.out.printf("push to deployed in staging: %d s%n",
                Duration.ofNanos(System.nanoTime() - started).toSeconds());

        assertThat(published.getTags()).contains(push.sha(), "main", "latest");
        assertThat(published.getRegistry()).isEqualTo("127.0.0.1:" + settings.get("SLIPWAY_RELEASE_REGISTRY_PORT"));
        assertThat(releaseTags(published.getRepository())).contains(push.sha(), "main", "latest");
        assertThat(staging.getDigest()).isEqualTo(published.getDigest());
        assertThat(page(STAGING)).contains(GREETING);
        assertThat(docker("inspect", "-f", "{{range $name, $net := .NetworkSettings.Networks}}{{$name}} {{end}}",
                "slipway-staging-" + repository.replace('/', '-'))).contains("slipway-apps");
    }

    @Test
    @Order(2)
    void aRunInFlightWhenTheBuilderIsRestartedCompletesExactlyOnce() {
        // A build step of 15 s, unique to the commit so the engine's cache cannot skip it: the restart lands in it.
        app.commit("A slow build step", "Dockerfile", dockerfile -> dockerfile
                + "RUN [\"/bin/busybox\", \"sh\", \"-c\", \"sleep 15; echo " + UUID.randomUUID() + "\"]\n");
        SampleRepository.Push push = app.push();
        runs.add(push.runId());
        await("the builder taking run " + push.runId()).atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !events.ofRun(push.runId(), CommitReceived.class).isEmpty());

        // Three seconds to stop, then SIGKILL: the build is cut short, its record not yet acknowledged.
        compose("restart", "-t", "3", "builder-service");

        ArtifactPublished published = events.awaitPublished(push.runId());
        Deployed staging = awaitDeployed(push.runId());
        assertThat(staging.getDigest()).isEqualTo(published.getDigest());
        assertThat(events.ofRun(push.runId(), ImageBuilt.class)).extracting(built -> built.getImage().getDigest())
                .containsOnly(published.getDigest());
        assertThat(events.ofRun(push.runId(), TestsPassed.class)).hasSize(1);
        assertThat(events.ofRun(push.runId(), ArtifactPublished.class)).hasSize(1);
        assertThat(events.ofRun(push.runId(), BuildFailed.class)).isEmpty();
        assertThat(events.ofRun(push.runId(), Deployed.class)).hasSize(1);
    }

    @Test
    @Order(3)
    void downAndUpKeepsTheDashboardsHistoryTheReleaseTagsAndTheEvents() {
        assertThat(runs).as("runs of the earlier tests").hasSize(2);
        ArtifactPublished before = events.awaitPublished(runs.get(1));
        events.close();
        events = null;

        compose("down");
        compose("up", "-d");
        awaitAllHealthy();

        events = opsEvents();
        for (String run : runs) {
            assertThat(events.ofRun(run, ArtifactPublished.class)).as("published events of run %s", run).hasSize(1);
            await("the dashboard's page of run " + run).atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(get(
                            dashboard("/runs/" + run))).satisfies(response -> {
                                assertThat(response.statusCode()).isEqualTo(200);
                                assertThat(response.body()).contains(repository);
                            }));
        }
        assertThat(page(dashboard("/runs"))).contains(repository);
        assertThat(releaseTags(before.getRepository())).contains(before.getTags().toArray(String[]::new));
        assertThat(page(STAGING)).contains(GREETING);
    }

    private Deployed awaitDeployed(String runId) {
        return await("run " + runId + " deployed to staging").atMost(DEPLOY_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> events.ofRun(runId, Deployed.class).stream()
                        .filter(d -> d.getEnvironment().equals("staging")).findFirst(), found -> found.isPresent())
                .orElseThrow();
    }

    /** Every container of the project runs and reports healthy (each one here has a health check). */
    private void awaitAllHealthy() {
        await("every container of " + project + " healthy").atMost(HEALTHY_TIMEOUT).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    List<String> ids = Arrays.stream(compose("ps", "-q").split("\\s+")).filter(s -> !s.isBlank())
                            .toList();
                    assertThat(ids).hasSize(12);
                    String states = docker(Stream.concat(Stream.of("inspect", "-f",
                            "{{.Name}} {{if .State.Health}}{{.State.Health.Status}}{{else}}no-health-check{{end}}"),
                            ids.stream()).toArray(String[]::new));
                    assertThat(states.lines()).allSatisfy(line -> assertThat(line).endsWith(" healthy"));
                });
    }

    private PipelineEvents opsEvents() {
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"ops\" password=\""
                + settings.get("SLIPWAY_KAFKA_PASSWORD_OPS") + "\";";
        Map<String, Object> client = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + settings.get("SLIPWAY_KAFKA_EXTERNAL_PORT"),
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512",
                SaslConfigs.SASL_JAAS_CONFIG, jaas);
        Path properties = dir.resolve("kafka-ops.properties");
        try {
            Files.writeString(properties, client.entrySet().stream().filter(e -> !e.getKey().startsWith("bootstrap"))
                    .map(e -> e.getKey() + "=" + e.getValue() + "\n").reduce("", String::concat));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PipelineEvents(client, properties,
                "http://127.0.0.1:" + settings.get("SLIPWAY_SCHEMA_REGISTRY_PORT"));
    }

    /** The tags of a release repository, read from the read-only release registry with the deployer's login. */
    private List<String> releaseTags(String releaseRepository) {
        String login = settings.get("SLIPWAY_RELEASE_READER_USER") + ":" + settings.get("SLIPWAY_RELEASE_READER_PASSWORD");
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + settings.get("SLIPWAY_RELEASE_REGISTRY_PORT") + "/v2/" + releaseRepository + "/tags/list"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(login.getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10)).build());
        assertThat(response.statusCode()).as("tags of %s: %s", releaseRepository, response.body()).isEqualTo(200);
        String tags = response.body().replaceFirst("(?s).*\"tags\":\\[(.*?)].*", "$1");
        return Arrays.stream(tags.split(",")).map(t -> t.replace("\"", "").strip()).filter(t -> !t.isEmpty()).toList();
    }

    private URI dashboard(String path) {
        return URI.create("http://127.0.0.1:" + settings.get("SLIPWAY_DASHBOARD_PORT") + path);
    }

    private static String page(URI url) {
        HttpResponse<String> response = get(url);
        assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
        return response.body();
    }

    private static HttpResponse<String> get(URI url) {
        return send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String compose(String... args) {
        return Commands.run(REPO, Map.of(), COMPOSE_TIMEOUT, Stream.concat(Stream.of("docker-compose", "-p", project,
                "--env-file", envFile.toString(), "-f", REPO.resolve("docker-compose.yml").toString()),
                Stream.of(args)).toArray(String[]::new));
    }

    private static String docker(String... args) {
        return Commands.run(REPO, Map.of(), Duration.ofMinutes(1), Stream.concat(Stream.of("docker"),
                Stream.of(args)).toArray(String[]::new));
    }
}

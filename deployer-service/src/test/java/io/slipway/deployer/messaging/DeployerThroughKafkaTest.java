package io.slipway.deployer.messaging;

import io.micronaut.runtime.server.EmbeddedServer;
import io.slipway.common.testing.SlipwayTestProperties;
import io.slipway.deployer.adapter.fake.FakeTarget;
import io.slipway.deployer.adapter.fake.FakeTargetFactory;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.BuildFailed;
import io.slipway.events.Deployed;
import io.slipway.events.EnvironmentState;
import io.slipway.events.Stage;
import io.slipway.schemas.Topics;
import io.micronaut.context.ApplicationContext;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * deployer-service through a real broker and schema registry, with fake targets: an {@code ArtifactPublished} in
 * becomes a {@code Deployed} on slipway.deployments and an {@code EnvironmentState} on slipway.deployer.state, read by
 * an independent client; a restarted service reads its state back and deploys the waiting promotion once approved.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeployerThroughKafkaTest {

    static final String TOKEN = "test-operator-token";

    @TempDir
    static Path dir;
    private final SharedDevStack stack = SharedDevStack.get();
    private final FakeTarget staging = FakeTargetFactory.of("k-staging");
    private final FakeTarget production = FakeTargetFactory.of("k-production");
    private final FakeTarget down = FakeTargetFactory.of("k-down");
    private final HttpClient http = HttpClient.newHttpClient();
    private ApplicationContext service;
    private DeployerTopics topics;

    @BeforeAll
    void start() throws Exception {
        Files.writeString(dir.resolve("environments.yml"), """
                environments:
                  k-staging:
                    repositories: ["kafka/*"]
                    refs: ["refs/heads/*"]
                    url: %s
                    smoke: [{path: /, status: 200, contains: running}]
                    target: {kind: fake}
                  k-down:
                    repositories: ["down/*"]
                    url: %s
                    target: {kind: fake}
                  k-production:
                    after: k-staging
                    approval: true
                    repositories: ["kafka/*"]
                    url: %s
                    target: {kind: fake}
                """.formatted(staging.url(), down.url(), production.url()));
        service = run();
        topics = new DeployerTopics(stack);
    }

    private ApplicationContext run() {
        Map<String, Object> config = new HashMap<>(SlipwayTestProperties.against(stack));
        config.put("slipway.deployer.environments", dir.resolve("environments.yml").toString());
        config.put("slipway.deployer.token", TOKEN);
        config.put("slipway.kafka.retry-budget", "3s");
        return ApplicationContext.run(EmbeddedServer.class, config).getApplicationContext();
    }

    @AfterAll
    void stop() {
        topics.close();
        service.close();
    }

    private static String repository() {
        return repository("kafka");
    }

    private static String repository(String owner) {
        return owner + "/app-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private List<Deployed> deployedOf(String repository, int count) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> topics.valuesOf(Topics.DEPLOYMENTS, repository)
                .stream().map(Deployed.class::cast).toList(), list -> list.size() >= count);
    }

    private EnvironmentState stateOf(String environment, String repository) {
        List<SpecificRecord> states = topics.valuesOf(Topics.DEPLOYER_STATE, environment + "|" + repository);
        return states.isEmpty() ? null : (EnvironmentState) states.get(states.size() - 1);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        int port = service.getBean(EmbeddedServer.class).getPort();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPublishedArtifactIsDeployedAndItsStateSurvivesARestartUntilTheApprovalDeploysItToProduction()
            throws Exception {
        String repository = repository();
        ArtifactPublished published = DeployerTopics.published(repository, "refs/heads/main", 1);

        topics.send(published);

        Deployed deployed = deployedOf(repository, 1).get(0);
        assertThat(deployed.getEnvironment()).isEqualTo("k-staging");
        assertThat(deployed.getDigest()).isEqualTo(published.getDigest());
        assertThat(deployed.getRun()).isEqualTo(published.getRun());
        assertThat(deployed.getRollback()).isFalse();
        assertThat(deployed.getUrl()).isEqualTo(staging.url());
        assertThat(deployed.getEventId()).isEqualTo(EventMapping.deployedId("k-staging",
                EventMapping.toRun(published.getRun()), published.getDigest(), null));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            EnvironmentState state = stateOf("k-production", repository);
            assertThat(state).isNotNull();
            assertThat(state.getPending().getArtifact().getDigest()).isEqualTo(published.getDigest());
        });
        assertThat(stateOf("k-staging", repository).getCurrent().getDigest()).isEqualTo(published.getDigest());

        service.close();
        service = run();
        HttpResponse<String> approval = post("/approvals", "{\"run\":\"" + published.getRun().getRunId()
                + "\",\"environment\":\"k-production\",\"by\":\"alice\"}");

        assertThat(approval.statusCode()).as(approval.body()).isEqualTo(200);
        assertThat(production.running()).isEqualTo(published.getDigest());
        List<Deployed> all = deployedOf(repository, 2);
        assertThat(all).extracting(Deployed::getEnvironment).containsExactly("k-staging", "k-production");
        assertThat(stateOf("k-production", repository).getPending()).isNull();
        assertThat(stateOf("k-production", repository).getCurrent().getDigest()).isEqualTo(published.getDigest());
    }

    @Test
    void aSmokeFailureRollsBackThroughKafkaWithARollbackEventAndABuildFailedAtDeploy() throws Exception {
        String repository = repository();
        ArtifactPublished good = DeployerTopics.published(repository, "refs/heads/main", 1);
        ArtifactPublished broken = DeployerTopics.published(repository, "refs/heads/main", 2);
        staging.markBad(broken.getDigest());

        topics.send(good);
        topics.send(broken);

        List<Deployed> deployed = deployedOf(repository, 3);
        assertThat(deployed).extracting(Deployed::getDigest)
                .containsExactly(good.getDigest(), broken.getDigest(), good.getDigest());
        Deployed rollback = deployed.get(2);
        assertThat(rollback.getRollback()).isTrue();
        assertThat(rollback.getRolledBackRunId()).isEqualTo(broken.getRun().getRunId());
        assertThat(rollback.getRun()).isEqualTo(good.getRun());
        assertThat(rollback.getReason()).isEqualTo("SMOKE_FAILED");
        BuildFailed failed = await().atMost(Duration.ofSeconds(30)).until(() -> topics.valuesOf(Topics.FAILURES,
                repository).stream().map(BuildFailed.class::cast).toList(), l -> !l.isEmpty()).get(0);
        assertThat(failed.getStage()).isEqualTo(Stage.DEPLOY);
        assertThat(failed.getReasonCode()).isEqualTo("SMOKE_FAILED");
        assertThat(failed.getEnvironment()).isEqualTo("k-staging");
        assertThat(failed.getRun()).isEqualTo(broken.getRun());
        assertThat(staging.running()).isEqualTo(good.getDigest());
    }

    @Test
    void aTargetDownForLongerThanTheRetryBudgetDeadLettersTheRecordAndAShortOutageIsRiddenOut() throws Exception {
        String lost = repository("down");
        down.unavailableFor(Integer.MAX_VALUE);
        topics.send(DeployerTopics.published(lost, "refs/heads/main", 1));

        await().atMost(Duration.ofSeconds(60)).until(() -> deadLetterKeys(lost) == 1);
        assertThat(topics.valuesOf(Topics.DEPLOYMENTS, lost)).isEmpty();

        String ridden = repository("down");
        down.unavailableFor(2);
        ArtifactPublished published = DeployerTopics.published(ridden, "refs/heads/main", 1);
        topics.send(published);

        assertThat(deployedOf(ridden, 1)).singleElement()
                .satisfies(d -> assertThat(d.getDigest()).isEqualTo(published.getDigest()));
        assertThat(deadLetterKeys(ridden)).isZero();
    }

    private long deadLetterKeys(String repository) {
        return topics.keysOf(Topics.deadLetter(Topics.ARTIFACTS)).stream().filter(repository::equals).count();
    }
}

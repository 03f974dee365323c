package io.slipway.deployer.adapter.http;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.slipway.common.testing.SlipwayTestProperties;
import io.slipway.deployer.adapter.fake.FakeTarget;
import io.slipway.deployer.adapter.fake.FakeTargetFactory;
import io.slipway.deployer.messaging.DeployerTopics;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.events.ArtifactPublished;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operators' API under attack: without the operator token, or with a wrong one, nothing moves (401); hostile
 * bodies are refused at the door (400 with a message) and move nothing either; the token holder can roll back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeployerApiTest {

    private static final String TOKEN = "api-operator-token";
    private static final String REPOSITORY = "api/app-" + java.util.UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    static Path dir;
    private final FakeTarget staging = FakeTargetFactory.of("api-staging");
    private final HttpClient http = HttpClient.newHttpClient();
    private ApplicationContext service;
    private DeployerTopics topics;
    private ArtifactPublished first;

    @BeforeAll
    void start() throws Exception {
        Files.writeString(dir.resolve("environments.yml"), """
                environments:
                  api-staging:
                    repositories: ["api/*"]
                    url: %s
                    target: {kind: fake}
                  api-production:
                    after: api-staging
                    approval: true
                    repositories: ["api/*"]
                    target: {kind: fake}
                """.formatted(staging.url()));
        Map<String, Object> config = new HashMap<>(SlipwayTestProperties.against(SharedDevStack.get()));
        config.put("slipway.deployer.environments", dir.resolve("environments.yml").toString());
        config.put("slipway.deployer.token", TOKEN);
        service = ApplicationContext.run(EmbeddedServer.class, config).getApplicationContext();
        topics = new DeployerTopics(SharedDevStack.get());
        first = DeployerTopics.published(REPOSITORY, "refs/heads/main", 1);
        ArtifactPublished second = DeployerTopics.published(REPOSITORY, "refs/heads/main", 2);
        topics.send(first);
        topics.send(second);
        await().atMost(Duration.ofSeconds(60)).until(() -> second.getDigest().equals(staging.running()));
    }

    @AfterAll
    void stop() {
        topics.close();
        service.close();
    }

    private HttpResponse<String> send(String method, String path, String authorization, String body) throws Exception {
        int port = service.getBean(EmbeddedServer.class).getPort();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String rollbackBody() {
        return "{\"repository\":\"" + REPOSITORY + "\",\"environment\":\"api-staging\",\"digest\":\""
                + first.getDigest() + "\"}";
    }

    @Test
    void withoutTheOperatorTokenNothingMoves() throws Exception {
        int deployments = staging.requests().size();
        String running = staging.running();
        for (String authorization : new String[] {null, "Bearer wrong-token", "Basic " + TOKEN, "Bearer ", TOKEN}) {
            assertThat(send("POST", "/rollbacks", authorization, rollbackBody()).statusCode()).isEqualTo(401);
            assertThat(send("POST", "/approvals", authorization, "{\"run\":\"" + first.getRun().getRunId()
                    + "\",\"environment\":\"api-production\"}").statusCode()).isEqualTo(401);
            HttpResponse<String> list = send("GET", "/environments", authorization, null);
            assertThat(list.statusCode()).isEqualTo(401);
            assertThat(list.body()).doesNotContain(REPOSITORY);
        }

        assertThat(staging.requests()).hasSize(deployments);
        assertThat(staging.running()).isEqualTo(running);
    }

    @Test
    void hostileBodiesAreRefusedAtTheDoorAndMoveNothing() throws Exception {
        int deployments = staging.requests().size();
        List<String> rollbacks = List.of("", "not json", "[1,2]", "{\"repository\":1}",
                "{\"repository\":\"../../etc\",\"environment\":\"api-staging\"}",
                "{\"repository\":\"api/app\",\"environment\":\"api-staging; rm -rf /\"}",
                "{\"repository\":\"api/app\",\"environment\":\"API\"}",
                "{\"repository\":\"api/app\",\"environment\":\"api-staging\",\"digest\":\"latest\"}",
                "{\"repository\":\"api/app\",\"environment\":\"api-staging\",\"digest\":\"sha256:../x\"}",
                "{\"repository\":\"api/app\",\"environment\":\"api-staging\",\"by\":\"\\u001b[31mroot\"}",
                "{\"repository\":\"api/app\",\"environment\":\"api-staging\",\"extra\":true}",
                "{\"repository\":\"api/app\",\"environment\":\"api-staging\",\"digest\":\"" + "a".repeat(9000) + "\"}");
        for (String body : rollbacks) {
            HttpResponse<String> response = send("POST", "/rollbacks", "Bearer " + TOKEN, body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.body()).as(body).contains("\"message\"").doesNotContain("\u001b");
        }
        for (String body : List.of("{\"run\":\"x' OR 1=1\",\"environment\":\"api-production\"}",
                "{\"run\":null,\"environment\":\"api-production\"}",
                "{\"run\":\"" + first.getRun().getRunId() + "\",\"environment\":{\"$ne\":1}}")) {
            assertThat(send("POST", "/approvals", "Bearer " + TOKEN, body).statusCode()).as(body).isEqualTo(400);
        }
        assertThat(send("POST", "/rollbacks", "Bearer " + TOKEN, "{\"repository\":\"" + "a".repeat(20_000) + "\"}")
                .statusCode()).isIn(400, 413);

        assertThat(staging.requests()).hasSize(deployments);
    }

    @Test
    void theOperatorListsEnvironmentsAndRollsBackToADigestOfTheHistoryOnly() throws Exception {
        HttpResponse<String> list = send("GET", "/environments", "Bearer " + TOKEN, null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"environment\":\"api-staging\"", "\"repository\":\"" + REPOSITORY + "\"",
                "\"pending\":{");

        HttpResponse<String> unknown = send("POST", "/rollbacks", "Bearer " + TOKEN, "{\"repository\":\""
                + REPOSITORY + "\",\"environment\":\"api-staging\",\"digest\":\"sha256:" + "0".repeat(64) + "\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);

        HttpResponse<String> restored = send("POST", "/rollbacks", "Bearer " + TOKEN, rollbackBody());
        assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
        assertThat(staging.running()).isEqualTo(first.getDigest());
    }
}

package io.slipway.trigger.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.slipway.common.testing.SlipwayTestProperties;
import io.slipway.common.testing.TopicReader;
import io.slipway.devstack.testing.SharedDevStack;
import io.micrometer.core.instrument.MeterRegistry;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.events.CommitReceived;
import io.slipway.schemas.PoisonPayloads;
import io.slipway.schemas.Fixtures;
import io.slipway.schemas.RunIds;
import io.slipway.schemas.Topics;
import io.slipway.schemas.serde.AvroEventDeserializer;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.trigger.GitRepositories;
import io.slipway.trigger.WebhookClient;
import io.slipway.trigger.adapter.forge.WebhookSignatures;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * trigger-service through a real broker and registry: forge deliveries become exactly one CommitReceived each;
 * rejected requests, redeliveries and repeated pushes produce none, also across a restart and with two
 * instances side by side.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhooksThroughKafkaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIXTURE_SIGNATURES = "webhook-signatures.computed.json";

    private final SharedDevStack stack = SharedDevStack.get();
    private final List<ApplicationContext> contexts = new ArrayList<>();
    private WebhookClient client;
    private AvroEventDeserializer deserializer;

    static Map<String, Object> triggerConfig(SharedDevStack stack) {
        Map<String, Object> config = new HashMap<>(SlipwayTestProperties.against(stack));
        config.put("slipway.trigger.run-token", "run-token-for-tests");
        config.put("slipway.trigger.clone-urls.schemes", "https,ssh,http,file");
        config.put("slipway.trigger.clone-urls.allow-loopback", "true");
        config.put("slipway.trigger.clone-urls.allow-file", "true");
        String[] watched = {"test/**", "binkkatal/*", "example/*", "gitea/*", "mike/*", "jsmith/*", "Octocoders/*"};
        for (int i = 0; i < watched.length; i++) {
            config.put("slipway.trigger.repositories[" + i + "].pattern", watched[i]);
            config.put("slipway.trigger.repositories[" + i + "].secret", WebhookClient.SECRET);
        }
        config.put("slipway.trigger.repositories[0].exclude-branches", "wip/**");
        return config;
    }

    private WebhookClient startInstance() {
        ApplicationContext context = ApplicationContext.run(triggerConfig(stack));
        EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
        contexts.add(context);
        return new WebhookClient(server.getURI());
    }

    @BeforeAll
    void start() {
        client = startInstance();
        deserializer = new AvroEventDeserializer(new SchemaRegistryClient(stack.registryUrl()));
    }

    @AfterAll
    void stop() {
        contexts.forEach(ApplicationContext::close);
    }

    /** A random 40-digit sha. */
    static String sha() {
        StringBuilder sha = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            sha.append(Character.forDigit(ThreadLocalRandom.current().nextInt(16), 16));
        }
        return sha.toString();
    }

    private static String repo() {
        return "test/app-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Every CommitReceived of a repository, once the run with {@code sentinelSha} (pushed last) has arrived. */
    private List<CommitReceived> commitsOf(String repository, String sentinelSha) {
        List<CommitReceived> events = new ArrayList<>();
        await().untilAsserted(() -> {
            events.clear();
            for (ConsumerRecord<byte[], byte[]> record : TopicReader.readAtLeast(stack.bootstrapServers(), Topics.COMMITS, 1)) {
                if (!(decoded(record) instanceof CommitReceived event)) {
                    continue;
                }
                if (event.getRun().getRepository().getFullName().equals(repository)) {
                    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(repository);
                    events.add(event);
                }
            }
            assertThat(events).extracting(e -> e.getRun().getCommit().getSha()).contains(sentinelSha);
        });
        return events;
    }

    /** The event of a record, or null for a record that is no event (a test writes poison records on purpose). */
    private SpecificRecord decoded(ConsumerRecord<byte[], byte[]> record) {
        try {
            return deserializer.deserialize(record.topic(), record.headers(), record.value());
        } catch (SerializationException poison) {
            return null;
        }
    }

    private static JsonNode body(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void aSignedGitHubPushBecomesOneCommitReceived() throws Exception {
        String file = "github/webhooks/push.captured-branch-update.json";
        JsonNode signatures = JSON.readTree(Fixtures.bytes(FIXTURE_SIGNATURES)).at("/files/" + file.replace("/", "~1"));

        HttpResponse<String> response = client.post("/webhooks/github", Fixtures.bytes(file),
                "Content-Type", "application/json", "X-GitHub-Event", "push",
                "X-GitHub-Delivery", UUID.randomUUID().toString(),
                "X-Hub-Signature-256", signatures.get("X-Hub-Signature-256").asText());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String sha = "fd489864e7642b48eaad6e3f155c10e46810ec72";
        String runId = RunIds.runId("binkkatal/sample_app", sha, "refs/heads/master");
        assertThat(body(response).get("runId").asText()).isEqualTo(runId);
        List<CommitReceived> events = commitsOf("binkkatal/sample_app", sha);
        assertThat(events).hasSize(1);
        CommitReceived event = events.get(0);
        assertThat(event.getSource()).isEqualTo("github");
        assertThat(event.getRun().getRunId()).isEqualTo(runId);
        assertThat(event.getRun().getAttempt()).isEqualTo(1);
        assertThat(event.getRun().getRepository().getCloneUrl()).isEqualTo("https://github.com/binkkatal/sample_app.git");
        assertThat(event.getRun().getCommit().getRef()).isEqualTo("refs/heads/master");
        assertThat(event.getRun().getCommit().getMessage()).isEqualTo("test a push event");
        assertThat(event.getRun().getCommit().getAuthorName()).isEqualTo("binkkatal");
    }

    @Test
    void gitLabPushAndTagPushWithTheirTokenStartRuns() throws Exception {
        HttpResponse<String> push = client.post("/webhooks/gitlab", Fixtures.bytes("gitlab/webhooks/push-hook.json"),
                "Content-Type", "application/json", "X-Gitlab-Event", "Push Hook",
                "X-Gitlab-Token", WebhookClient.SECRET, "Idempotency-Key", UUID.randomUUID().toString());
        HttpResponse<String> tag = client.post("/webhooks/gitlab", Fixtures.bytes("gitlab/webhooks/tag-push-hook.json"),
                "Content-Type", "application/json", "X-Gitlab-Event", "Tag Push Hook",
                "X-Gitlab-Token", WebhookClient.SECRET);
        HttpResponse<String> wrongToken = client.post("/webhooks/gitlab", Fixtures.bytes("gitlab/webhooks/push-hook.json"),
                "Content-Type", "application/json", "X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", "guess");

        assertThat(push.statusCode()).as(push.body()).isEqualTo(202);
        assertThat(tag.statusCode()).as(tag.body()).isEqualTo(202);
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(commitsOf("mike/diaspora", "da1560886d4f094c3e6c9ef40349f7d38b5d27d7")).singleElement()
                .satisfies(e -> assertThat(e.getRun().getCommit().getMessage()).isEqualTo("fixed readme"));
        assertThat(commitsOf("jsmith/example", "82b3d5ae55f7080f1e6022629cdb57bfae7cccc7")).singleElement()
                .satisfies(e -> assertThat(e.getRun().getCommit().getRef()).isEqualTo("refs/tags/v1.0.0"));
    }

    @Test
    void aGiteaPushSignedWithItsHeaderStartsARun() throws Exception {
        String file = "gitea/webhooks/push.captured.json";
        JsonNode signatures = JSON.readTree(Fixtures.bytes(FIXTURE_SIGNATURES)).at("/files/" + file.replace("/", "~1"));

        HttpResponse<String> response = client.post("/webhooks/gitea", Fixtures.bytes(file),
                "Content-Type", "application/json", "X-Gitea-Event", "push",
                "X-Gitea-Delivery", UUID.randomUUID().toString(),
                "X-Gitea-Signature", signatures.get("X-Gitea-Signature").asText());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(commitsOf("example/example", "67b56589a45103f891bdee7c0546e5d40bc02001")).hasSize(1);
    }

    @Test
    void aGitHubPingIsAnsweredAndStartsNothing() throws Exception {
        String file = "github/webhooks/ping.payload.json";
        JsonNode signatures = JSON.readTree(Fixtures.bytes(FIXTURE_SIGNATURES)).at("/files/" + file.replace("/", "~1"));

        HttpResponse<String> response = client.post("/webhooks/github", Fixtures.bytes(file),
                "Content-Type", "application/json", "X-GitHub-Event", "ping",
                "X-Hub-Signature-256", signatures.get("X-Hub-Signature-256").asText());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response).get("status").asText()).isEqualTo("pong");
    }

    @Test
    void redeliveriesAndRepeatedPushesStartNoSecondRun() throws Exception {
        String repository = repo();
        String sha = sha();
        String delivery = UUID.randomUUID().toString();

        HttpResponse<String> first = client.pushGeneric(repository, "refs/heads/main", sha, "feature", delivery);
        commitsOf(repository, sha);
        HttpResponse<String> redelivered = client.pushGeneric(repository, "refs/heads/main", sha, "feature", delivery);
        HttpResponse<String> sameCommitNewDelivery = client.pushGeneric(repository, "refs/heads/main", sha, "feature");
        String sentinel = sha();
        client.pushGeneric(repository, "refs/heads/main", sentinel, "next");

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(redelivered.statusCode()).isEqualTo(200);
        assertThat(body(redelivered).get("status").asText()).isEqualTo("duplicate");
        assertThat(sameCommitNewDelivery.statusCode()).isEqualTo(200);
        assertThat(commitsOf(repository, sentinel)).extracting(e -> e.getRun().getCommit().getSha())
                .containsExactly(sha, sentinel);
    }

    @Test
    void everyWebhookIsCountedByForgeAndEveryAnswerByItsStatusAndCode() throws Exception {
        MeterRegistry meters = contexts.get(0).getBean(MeterRegistry.class);
        String repository = repo();
        String sha = sha();
        double received = count(meters, "slipway.trigger.webhooks.received", "forge", "generic");
        double accepted = count(meters, "slipway.trigger.webhooks.answered", "forge", "generic", "status", "accepted",
                "code", "202");
        double duplicates = count(meters, "slipway.trigger.webhooks.answered", "forge", "generic", "status",
                "duplicate", "code", "200");

        client.pushGeneric(repository, "refs/heads/main", sha, "counted");
        commitsOf(repository, sha);
        client.pushGeneric(repository, "refs/heads/main", sha, "counted");
        client.pushGeneric(repository, "refs/heads/main", sha, "counted");

        assertThat(count(meters, "slipway.trigger.webhooks.received", "forge", "generic") - received).isEqualTo(3);
        assertThat(count(meters, "slipway.trigger.webhooks.answered", "forge", "generic", "status", "accepted",
                "code", "202") - accepted).isEqualTo(1);
        assertThat(count(meters, "slipway.trigger.webhooks.answered", "forge", "generic", "status", "duplicate",
                "code", "200") - duplicates).isEqualTo(2);
    }

    private static double count(MeterRegistry meters, String name, String... tags) {
        io.micrometer.core.instrument.Counter counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void theSamePushRacingIntoTwoInstancesStartsOneRun() throws Exception {
        WebhookClient second = startInstance();
        String repository = repo();
        String sha = sha();

        CompletableFuture<HttpResponse<String>> a = CompletableFuture.supplyAsync(
                () -> client.pushGeneric(repository, "refs/heads/main", sha, "race"));
        CompletableFuture<HttpResponse<String>> b = CompletableFuture.supplyAsync(
                () -> second.pushGeneric(repository, "refs/heads/main", sha, "race"));
        a.join();
        b.join();
        String sentinel = sha();
        second.pushGeneric(repository, "refs/heads/main", sentinel, "next");

        assertThat(List.of(a.get().statusCode(), b.get().statusCode())).allMatch(code -> code == 200 || code == 202);
        assertThat(commitsOf(repository, sentinel)).extracting(e -> e.getRun().getCommit().getSha())
                .containsExactly(sha, sentinel);
    }

    @Test
    void aRestartedTriggerStillKnowsEveryRun() throws Exception {
        String repository = repo();
        String sha = sha();
        String delivery = UUID.randomUUID().toString();
        client.pushGeneric(repository, "refs/heads/main", sha, "before restart", delivery);
        commitsOf(repository, sha);

        WebhookClient restarted = startInstance();
        HttpResponse<String> redelivered = restarted.pushGeneric(repository, "refs/heads/main", sha, "before restart", delivery);

        assertThat(redelivered.statusCode()).isEqualTo(200);
        assertThat(body(redelivered).get("status").asText()).isEqualTo("duplicate");
    }

    @Test
    void aPoisonRecordInTheCommitsTopicIsSkippedAndTheLedgerKnowsTheRunsOnEitherSideOfIt() throws Exception {
        String repository = repo();
        String before = sha();
        client.pushGeneric(repository, "refs/heads/main", before, "before the poison");
        List<CommitReceived> known = commitsOf(repository, before);
        byte[] written = TopicReader.readAtLeast(stack.bootstrapServers(), Topics.COMMITS, 1).stream()
                .filter(r -> decoded(r) instanceof CommitReceived).findFirst().orElseThrow().value();
        try (Producer<byte[], byte[]> producer = KafkaClients.of(Map.of("bootstrap.servers", stack.bootstrapServers()))
                .producer("test-poison", new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.COMMITS, repository.getBytes(StandardCharsets.UTF_8),
                    PoisonPayloads.hugeString(PoisonPayloads.schemaIdOf(written)))).get(30, TimeUnit.SECONDS);
        }

        WebhookClient restarted = startInstance();
        String after = sha();
        client.pushGeneric(repository, "refs/heads/main", after, "after the poison");
        commitsOf(repository, after);

        assertThat(known).hasSize(1);
        assertThat(body(restarted.pushGeneric(repository, "refs/heads/main", before, "before the poison"))
                .get("status").asText()).as("the run read at start-up, before the poison").isEqualTo("duplicate");
        assertThat(body(restarted.pushGeneric(repository, "refs/heads/main", after, "after the poison"))
                .get("status").asText()).as("the run after the poison").isEqualTo("duplicate");
        assertThat(contexts.get(contexts.size() - 1).getBean(MeterRegistry.class)
                .counter("slipway.trigger.ledger.unreadable").count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aManualRunIsTheNextAttemptOfTheSameRun() throws Exception {
        String repository = repo();
        String sha = sha();
        client.pushGeneric(repository, "refs/heads/main", sha, "build me");
        commitsOf(repository, sha);
        String body = "{\"repository\":\"" + repository + "\",\"ref\":\"refs/heads/main\"}";

        HttpResponse<String> unauthorised = client.post("/runs", body.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json");
        HttpResponse<String> wrongToken = client.post("/runs", body.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json", "Authorization", "Bearer nope");
        HttpResponse<String> rerun = client.post("/runs", body.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json", "Authorization", "Bearer run-token-for-tests");

        assertThat(unauthorised.statusCode()).isEqualTo(401);
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(rerun.statusCode()).as(rerun.body()).isEqualTo(202);
        String runId = RunIds.runId(repository, sha, "refs/heads/main");
        assertThat(body(rerun).get("runId").asText()).isEqualTo(runId);
        await().untilAsserted(() -> assertThat(commitsOf(repository, sha))
                .extracting(e -> e.getRun().getRunId() + "#" + e.getRun().getAttempt())
                .containsExactly(runId + "#1", runId + "#2"));
    }

    @Test
    void runsCarryTheOrderTheyWereAcceptedInAndAReRunKeepsItsRunsSequence() throws Exception {
        String repository = repo();
        String older = sha();
        String newer = sha();
        client.pushGeneric(repository, "refs/heads/main", older, "first");
        commitsOf(repository, older);
        client.pushGeneric(repository, "refs/heads/main", newer, "second");
        commitsOf(repository, newer);
        String rerun = "{\"repository\":\"" + repository + "\",\"ref\":\"refs/heads/main\",\"sha\":\"" + older + "\"}";
        assertThat(client.post("/runs", rerun.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json",
                "Authorization", "Bearer run-token-for-tests").statusCode()).isEqualTo(202);
        await().until(() -> commitsOf(repository, older).size() == 3);
        WebhookClient restarted = startInstance();
        String latest = sha();
        restarted.pushGeneric(repository, "refs/heads/main", latest, "after restart");

        Map<String, Long> sequences = new HashMap<>();
        for (CommitReceived event : commitsOf(repository, latest)) {
            sequences.put(event.getRun().getCommit().getSha() + "#" + event.getRun().getAttempt(),
                    event.getRun().getAcceptedSequence());
        }

        assertThat(sequences).containsOnlyKeys(older + "#1", newer + "#1", older + "#2", latest + "#1");
        assertThat(sequences.get(older + "#1")).isPositive();
        assertThat(sequences.get(newer + "#1")).isGreaterThan(sequences.get(older + "#1"));
        assertThat(sequences.get(older + "#2")).as("a re-run ranks where its run was accepted")
                .isEqualTo(sequences.get(older + "#1"));
        assertThat(sequences.get(latest + "#1")).as("an instance that read the topic continues the order")
                .isGreaterThan(sequences.get(newer + "#1"));
    }

    @Test
    void aManualRunObeysTheWatchListFiltersAndCloneUrlPolicyAsAPushDoes() throws Exception {
        String marker = "manual-" + UUID.randomUUID().toString().substring(0, 8);
        String repository = repo();
        String sha = sha();
        String[] requests = {
                "{\"repository\":\"nobody/" + marker + "\",\"ref\":\"refs/heads/main\",\"sha\":\"" + sha
                        + "\",\"cloneUrl\":\"https://git.example.org/x.git\"}",
                "{\"repository\":\"" + repository + "\",\"ref\":\"refs/heads/wip/" + marker + "\",\"sha\":\"" + sha
                        + "\",\"cloneUrl\":\"https://git.example.org/x.git\"}",
                "{\"repository\":\"" + repository + "\",\"ref\":\"refs/heads/main\",\"sha\":\"" + sha
                        + "\",\"cloneUrl\":\"https://169.254.169.254/latest\"}"};
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (String request : requests) {
            answers.add(client.post("/runs", request.getBytes(StandardCharsets.UTF_8), "Content-Type",
                    "application/json", "Authorization", "Bearer run-token-for-tests"));
        }

        assertThat(answers.get(0).statusCode()).as(answers.get(0).body()).isEqualTo(404);
        assertThat(body(answers.get(0)).get("message").asText()).contains("nobody/" + marker).contains("not watched");
        assertThat(answers.get(1).statusCode()).as(answers.get(1).body()).isEqualTo(200);
        assertThat(body(answers.get(1)).get("status").asText()).isEqualTo("ignored");
        assertThat(body(answers.get(1)).get("message").asText()).contains("wip/**");
        assertThat(answers.get(2).statusCode()).as(answers.get(2).body()).isEqualTo(422);
        assertThat(body(answers.get(2)).get("message").asText()).startsWith("clone URL refused");

        onlyASentinelPushGetsThrough(repository, marker);
    }

    @Test
    void rejectedRequestsGetAClearAnswerAndProduceNoEvent() throws Exception {
        String repository = repo();
        String sha = sha();
        byte[] body = WebhookClient.genericBody(repository, "refs/heads/main", sha, "m");
        byte[] tooLarge = new byte[1024 * 1024 + 10];
        java.util.Arrays.fill(tooLarge, (byte) ' ');

        assertThat(client.post("/webhooks/generic", body, "Content-Type", "application/json").statusCode())
                .as("unsigned").isEqualTo(401);
        assertThat(client.post("/webhooks/generic", body, "Content-Type", "application/json",
                "X-Slipway-Signature-256", "sha256=" + "0".repeat(64)).statusCode()).as("wrongly signed").isEqualTo(403);
        HttpResponse<String> unknown = client.pushGeneric("someone/else", "refs/heads/main", sha, "m");
        assertThat(unknown.statusCode()).as("unknown repository").isEqualTo(404);
        assertThat(body(unknown).get("message").asText()).contains("someone/else");
        assertThat(client.post("/webhooks/generic", body, "Content-Type", "text/plain").statusCode())
                .as("wrong content type").isEqualTo(415);
        HttpResponse<String> malformed = client.post("/webhooks/generic", "{not json".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json");
        assertThat(malformed.statusCode()).isEqualTo(400);
        byte[] noSha = ("{\"repository\":\"" + repository + "\",\"cloneUrl\":\"https://git.example.org/x.git\","
                + "\"ref\":\"refs/heads/main\",\"message\":\"m\",\"author\":{\"name\":\"A\"}}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> missingField = client.post("/webhooks/generic", noSha, "Content-Type", "application/json",
                "X-Slipway-Signature-256", "sha256=" + io.slipway.trigger.adapter.forge.WebhookSignatures.hmacSha256Hex(WebhookClient.SECRET, noSha));
        assertThat(missingField.statusCode()).isEqualTo(400);
        assertThat(body(missingField).get("message").asText()).contains("sha");
        assertThat(client.post("/webhooks/generic", tooLarge, "Content-Type", "application/json").statusCode())
                .as("over 1 MiB").isEqualTo(413);
        HttpResponse<String> forbiddenUrl = client.post("/webhooks/generic", signedWithCloneUrl(repository, sha,
                "https://169.254.169.254/latest"), "Content-Type", "application/json",
                "X-Slipway-Signature-256", "sha256=" + io.slipway.trigger.adapter.forge.WebhookSignatures.hmacSha256Hex(
                        WebhookClient.SECRET, signedWithCloneUrl(repository, sha, "https://169.254.169.254/latest")));
        assertThat(forbiddenUrl.statusCode()).isEqualTo(422);
        assertThat(client.post("/webhooks/nosuchforge", body, "Content-Type", "application/json").statusCode()).isEqualTo(404);
        HttpResponse<String> skipped = client.pushGeneric(repository, "refs/heads/main", sha(), "docs [skip ci]");
        assertThat(body(skipped).get("status").asText()).isEqualTo("ignored");
        HttpResponse<String> excluded = client.pushGeneric(repository, "refs/heads/wip/try", sha(), "wip");
        assertThat(body(excluded).get("message").asText()).contains("wip/**");

        String sentinel = sha();
        assertThat(client.pushGeneric(repository, "refs/heads/main", sentinel, "ok").statusCode()).isEqualTo(202);
        assertThat(commitsOf(repository, sentinel)).extracting(e -> e.getRun().getCommit().getSha())
                .containsExactly(sentinel);
    }

    /** The keys on {@code topic}, read from the beginning until {@code sentinel} is among them. */
    private List<String> keysThrough(String topic, String sentinel) {
        List<String> keys = new ArrayList<>();
        await().untilAsserted(() -> {
            keys.clear();
            for (ConsumerRecord<byte[], byte[]> record : TopicReader.readAtLeast(stack.bootstrapServers(), topic, 1)) {
                keys.add(new String(record.key(), StandardCharsets.UTF_8));
            }
            assertThat(keys).contains(sentinel);
        });
        return keys;
    }

    private HttpResponse<String> signedGeneric(String repository, String ref, String sha) throws Exception {
        byte[] body = JSON.writeValueAsBytes(Map.of("repository", repository, "cloneUrl", "https://git.example.org/x.git",
                "ref", ref, "sha", sha, "message", "m", "author", Map.of("name", "Ada")));
        return client.post("/webhooks/generic", body, "Content-Type", "application/json",
                "X-Slipway-Signature-256", "sha256=" + WebhookSignatures.hmacSha256Hex(WebhookClient.SECRET, body));
    }

    @Test
    void traversalAndControlCharactersInNamesAreRefusedAt400AndStartNothing() throws Exception {
        String marker = "door-" + UUID.randomUUID().toString().substring(0, 8);
        String repository = repo();
        String sha = sha();
        String[][] refused = {
                {"test/" + marker + "/../../victim/repo", "refs/heads/main", sha, "repository"},
                {"test/" + marker + "/%2e%2e/victim", "refs/heads/main", sha, "repository"},
                {"test/" + marker + "\\..\\victim", "refs/heads/main", sha, "repository"},
                {"test/" + marker + "/\uff0e\uff0e/victim", "refs/heads/main", sha, "repository"},
                {"test/" + marker + "\u0000", "refs/heads/main", sha, "repository"},
                {repository, "refs/heads/../../" + marker, sha, "ref"},
                {repository, "refs/heads/main\r\nX-Injected: " + marker, sha, "ref"},
                {repository, "refs/heads/main@{1}", sha, "ref"},
                {repository, "refs/heads/main.lock", sha, "ref"},
                {repository, "refs/heads/main", "../" + sha.substring(3), "sha"}};
        for (String[] request : refused) {
            HttpResponse<String> answer = signedGeneric(request[0], request[1], request[2]);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
            assertThat(body(answer).get("message").asText()).startsWith("field '" + request[3] + "'");
        }
        byte[] github = Fixtures.bytes("github/webhooks/push.captured-branch-update.json");
        ObjectNode payload = (ObjectNode) JSON.readTree(github);
        ((ObjectNode) payload.get("repository")).put("full_name", "Octocoders/../" + marker);
        byte[] traversal = JSON.writeValueAsBytes(payload);
        HttpResponse<String> fromGitHub = client.post("/webhooks/github", traversal, "Content-Type", "application/json",
                "X-GitHub-Event", "push", "X-GitHub-Delivery", UUID.randomUUID().toString(),
                "X-Hub-Signature-256", "sha256=" + WebhookSignatures.hmacSha256Hex(WebhookClient.SECRET, traversal));
        assertThat(fromGitHub.statusCode()).isEqualTo(400);
        assertThat(body(fromGitHub).get("message").asText()).startsWith("field 'repository.full_name'");
        String[][] manual = {
                {"{\"repository\":\"test/" + marker + "/../../victim/repo\",\"ref\":\"refs/heads/main\",\"sha\":\"" + sha + "\"}", "repository"},
                {"{\"repository\":\"" + repository + "\",\"ref\":\"refs/heads/a\\u0000b\",\"sha\":\"" + sha + "\"}", "ref"},
                {"{\"repository\":\"" + repository + "\",\"ref\":\"refs/heads/main\",\"sha\":\"%2e%2e\"}", "sha"}};
        for (String[] request : manual) {
            HttpResponse<String> answer = client.post("/runs", request[0].getBytes(StandardCharsets.UTF_8),
                    "Content-Type", "application/json", "Authorization", "Bearer run-token-for-tests");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
            assertThat(body(answer).get("message").asText()).startsWith("field '" + request[1] + "'");
        }

        onlyASentinelPushGetsThrough(repository, marker);
    }

    /**
     * Pushes a sentinel commit of {@code repository} and reads the topics to it: the refused requests before it,
     * which would have been keyed onto its partition ahead of it, left nothing, and no key contains {@code marker}.
     */
    private void onlyASentinelPushGetsThrough(String repository, String marker) {
        String sentinel = sha();
        assertThat(client.pushGeneric(repository, "refs/heads/main", sentinel, "ok").statusCode()).isEqualTo(202);
        assertThat(commitsOf(repository, sentinel)).extracting(e -> e.getRun().getCommit().getSha())
                .containsExactly(sentinel);
        assertThat(keysThrough(Topics.TRIGGER_INTAKE, repository)).containsOnlyOnce(repository)
                .noneMatch(key -> key.contains(marker));
        assertThat(keysThrough(Topics.COMMITS, repository)).noneMatch(key -> key.contains(marker));
    }

    @Test
    void aRealGitPushThroughTheInstalledHookStartsOneRun(@TempDir Path tmp) throws Exception {
        GitRepositories git = new GitRepositories(tmp, "hooked.git");
        String repository = repo();
        Path secretFile = Files.writeString(tmp.resolve("secret"), WebhookClient.SECRET + "\n");
        git.installHook(client.base().toString(), secretFile, "--repository", repository);
        String sha = git.commit("README.md", "Add \"readme\"\n\nwith a body");

        String output = git.git(git.work(), "push", "origin", "main");

        assertThat(output).contains("202");
        List<CommitReceived> events = commitsOf(repository, sha);
        assertThat(events).hasSize(1);
        CommitReceived event = events.get(0);
        assertThat(event.getSource()).isEqualTo("generic");
        assertThat(event.getRun().getCommit().getRef()).isEqualTo("refs/heads/main");
        assertThat(event.getRun().getCommit().getMessage()).isEqualTo("Add \"readme\"\n\nwith a body");
        assertThat(event.getRun().getCommit().getAuthorName()).isEqualTo("Ada \"Countess\" Lovelace");
        assertThat(event.getRun().getCommit().getAuthorEmail()).isEqualTo("ada@example.test");
        assertThat(event.getRun().getRepository().getCloneUrl()).startsWith("file://").endsWith("hooked.git");
    }

    @Test
    void aMalformedWatchGlobStopsTheServiceAtStartUp() {
        Map<String, Object> config = triggerConfig(stack);
        config.put("slipway.trigger.repositories[1].pattern", "binkkatal/{a,b");
        ApplicationContext context = ApplicationContext.builder().properties(config).build();
        try {
            assertThatThrownBy(context::start).rootCause().isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("invalid glob 'binkkatal/{a,b': '{' is not closed by '}'");
        } finally {
            context.close();
        }
    }

    private static byte[] signedWithCloneUrl(String repository, String sha, String cloneUrl) {
        return ("{\"repository\":\"" + repository + "\",\"cloneUrl\":\"" + cloneUrl + "\",\"ref\":\"refs/heads/main\","
                + "\"sha\":\"" + sha + "\",\"message\":\"m\",\"author\":{\"name\":\"A\"}}").getBytes(StandardCharsets.UTF_8);
    }
}

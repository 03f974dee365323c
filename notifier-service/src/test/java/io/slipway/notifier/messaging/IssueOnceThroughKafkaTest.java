package io.slipway.notifier.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.slipway.common.kafka.EventPublisher;
import io.slipway.common.testing.SlipwayTestProperties;
import io.slipway.common.testing.TopicReader;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.BuildFailed;
import io.slipway.events.Commit;
import io.slipway.events.Repository;
import io.slipway.events.RunContext;
import io.slipway.notifier.adapter.github.GitHubForge;
import io.slipway.notifier.adapter.http.JsonHttp;
import io.slipway.notifier.domain.IssueMarker;
import io.slipway.notifier.domain.IssueTracker.IssueRef;
import io.slipway.notifier.fakes.FakeApi.Request;
import io.slipway.notifier.fakes.FakeGitHub;
import io.slipway.schemas.RunIds;
import io.slipway.schemas.SampleEvents;
import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.serde.AvroEventSerializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * notifier-service through a real broker and registry, with GitHub replaced by a local server speaking its documented
 * API: one issue per failing branch on the forge whatever happens between opening it and remembering it, one small
 * state record per branch, and the per-repository records of older versions still honoured.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IssueOnceThroughKafkaTest {

    private static final String TOKEN = "ghp_issueOnceTestToken0123456789abcdefgh";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(45);

    private final SharedDevStack stack = SharedDevStack.get();
    private final FakeGitHub github = new FakeGitHub(TOKEN);
    private final String unsaved = repository();
    private final String upgraded = repository();
    private ApplicationContext notifier;
    private EventPublisher events;

    private static String repository() {
        return "once-org/app-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private Map<String, Object> config() {
        Map<String, Object> config = new HashMap<>(SlipwayTestProperties.against(stack));
        config.put("slipway.notifier.request-timeout", "2s");
        config.put("slipway.notifier.retry.initial-backoff", "100ms");
        config.put("slipway.notifier.retry.max-backoff", "400ms");
        NotificationsThroughKafkaTest.forge(config, 0, "github", github.uri().toString(), TOKEN, "once-org/**");
        NotificationsThroughKafkaTest.route(config, 0, "once-org/**", "", "github");
        config.put("test.notifier.fail-first-issue-save-of", unsaved);
        return config;
    }

    /** Starts the notifier once to create its topics, saves a memory as an older version did, and starts it again. */
    @BeforeAll
    void start() throws Exception {
        Map<String, Object> producer = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        events = new EventPublisher(new KafkaProducer<>(producer, new StringSerializer(),
                new AvroEventSerializer(new SchemaRegistryClient(stack.registryUrl()))), Duration.ofSeconds(30));
        notifier = ApplicationContext.run(config());
        IssueRef issue = forge().open(upgraded, "Slipway: main of " + upgraded + " is failing",
                "opened by an older version\n\n" + new IssueMarker(upgraded, "main", null).line());
        String olderMemory = "{\"notified\":[\"e-0\"],\"finishedRuns\":[],\"openIssues\":{\"main\":{\"id\":\"" + issue.id()
                + "\",\"url\":\"" + issue.url() + "\",\"lastFailureAt\":\"2025-03-14T08:00:00Z\"},"
                + "\"develop\":{\"id\":\"999\",\"url\":null,\"lastFailureAt\":\"2025-03-14T07:00:00Z\"}}}";
        try (KafkaProducer<String, String> raw = new KafkaProducer<>(producer, new StringSerializer(), new StringSerializer())) {
            raw.send(new ProducerRecord<>(Topics.NOTIFIER_STATE, "issues:github|" + upgraded, olderMemory)).get();
        }
        notifier.close();
        notifier = ApplicationContext.run(config());
    }

    @AfterAll
    void stop() {
        notifier.close();
        events.close();
        assertThat(github.violations()).isEmpty();
        github.close();
    }

    private GitHubForge forge() {
        return new GitHubForge("github", github.uri(), TOKEN, List.of("slipway"), null, "slipway",
                new JsonHttp(HttpClient.newHttpClient(), Duration.ofSeconds(5), Clock.systemUTC(), List.of(TOKEN)));
    }

    private static RunContext run(String repository, String branch, Instant triggeredAt) {
        byte[] sha = new byte[20];
        ThreadLocalRandom.current().nextBytes(sha);
        String hex = HexFormat.of().formatHex(sha);
        String ref = "refs/heads/" + branch;
        RunContext sample = SampleEvents.run();
        return RunContext.newBuilder(sample).setRunId(RunIds.runId(repository, hex, ref))
                .setRepository(Repository.newBuilder(sample.getRepository()).setFullName(repository)
                        .setWebUrl("https://github.com/" + repository).build())
                .setCommit(Commit.newBuilder(sample.getCommit()).setSha(hex).setRef(ref).build())
                .setTriggeredAt(triggeredAt).build();
    }

    private static BuildFailed failed(RunContext run) {
        return BuildFailed.newBuilder(SampleEvents.buildFailed()).setEventId(UUID.randomUUID().toString()).setRun(run).build();
    }

    private static Predicate<Request> call(String method, String pathRegex, int status) {
        return r -> r.method().equals(method) && r.rawPath().matches(pathRegex) && r.answeredWith() == status;
    }

    /** The latest value of every key of the state topic that starts with {@code prefix}, read to the topic's end. */
    private Map<String, JsonNode> stateRecords(String prefix) throws Exception {
        Map<String, JsonNode> latest = new HashMap<>();
        for (var record : TopicReader.readToEnd(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                Topics.NOTIFIER_STATE, "read_uncommitted")) {
            String key = new String(record.key(), StandardCharsets.UTF_8);
            if (key.startsWith(prefix)) {
                latest.put(key, record.value() == null ? null : JSON.readTree(record.value()));
            }
        }
        return latest;
    }

    @Test
    void aStateSaveFailingAfterTheIssueWasOpenedLeavesExactlyOneIssueOnTheForge() throws Exception {
        String issues = "/repos/" + unsaved + "/issues";
        BuildFailed failure = failed(run(unsaved, "main", Instant.parse("2025-03-14T09:00:00Z")));

        events.publish(failure);

        await().atMost(PATIENCE).until(() -> stateRecords("issues:github|" + unsaved + "|main").values().stream()
                .anyMatch(m -> m.path("notified").toString().contains(failure.getEventId())));
        assertThat(notifier.getBean(StateSaveFailsOnce.class).failed()).isTrue();
        assertThat(github.requests(call("GET", issues, 200))).hasSize(2);
        assertThat(github.requests(call("POST", issues, 201))).hasSize(1);
        assertThat(github.issuesOf(unsaved)).singleElement().satisfies(issue -> {
            assertThat(issue.get("state").asText()).isEqualTo("open");
            assertThat(issue.get("body").asText()).endsWith(IssueMarker.of(EventMapping.toNotification(failure).orElseThrow()).line() + "\n");
        });

        events.publish(failed(run(unsaved, "main", Instant.parse("2025-03-14T09:10:00Z"))));

        String number = github.issuesOf(unsaved).get(0).get("number").asText();
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(github.requests(call("POST", issues + "/" + number + "/comments", 201))).hasSize(1));
        assertThat(github.issuesOf(unsaved)).hasSize(1);
    }

    @Test
    void aDeliveryIsCommittedOnlyOnceTheMemoryItSavedIsAcknowledged() throws Exception {
        StateSaveFailsOnce state = notifier.getBean(StateSaveFailsOnce.class);
        String repo = repository();
        String group = ChannelWorker.groupOf(io.slipway.notifier.domain.ChannelId.parse("issues:github"));
        state.holdFlushesAfterSaveOf(repo);
        ConsumerRecordRef delivery;
        try {
            events.publish(failed(run(repo, "main", Instant.parse("2025-03-14T11:00:00Z"))));
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(github.issuesOf(repo)).hasSize(1));
            int refused = state.heldFlushes();
            // Two more refusals: the worker has been through a whole round of flush and commit since the delivery.
            await().atMost(PATIENCE).until(() -> state.heldFlushes() > refused + 1);
            delivery = issueDeliveryOf(repo);

            assertThat(committed(group, delivery.partition()))
                    .as("delivered, but its memory is not acknowledged: not committed").isLessThanOrEqualTo(delivery.offset());
            assertThat(notifier.getBean(ChannelWorkers.class).states().get("issues:github"))
                    .as("takes no new record meanwhile").isEqualTo("waiting for the channel's memory to be saved");
        } finally {
            state.releaseFlushes();
        }
        await().atMost(PATIENCE).until(() -> committed(group, delivery.partition()) > delivery.offset());
        assertThat(github.issuesOf(repo)).hasSize(1);
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(notifier.getBean(ChannelWorkers.class).states().get("issues:github")).isEqualTo("delivering"));
    }

    private record ConsumerRecordRef(TopicPartition partition, long offset) {
    }

    /** Where the issue channel's delivery for the repository is in the deliveries topic. */
    private ConsumerRecordRef issueDeliveryOf(String repository) {
        for (var record : TopicReader.readToEnd(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers()), Topics.NOTIFIER_DELIVERIES, "read_committed")) {
            var channel = record.headers().lastHeader(DeliveryQueue.CHANNEL_HEADER);
            if (repository.equals(new String(record.key(), StandardCharsets.UTF_8)) && channel != null
                    && "issues:github".equals(new String(channel.value(), StandardCharsets.UTF_8))) {
                return new ConsumerRecordRef(new TopicPartition(record.topic(), record.partition()), record.offset());
            }
        }
        throw new AssertionError("no delivery of " + repository + " for issues:github");
    }

    /** The offset the group has committed for the partition, 0 when none. */
    private long committed(String group, TopicPartition partition) throws Exception {
        try (Admin admin = Admin.create(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            OffsetAndMetadata at = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .get(partition);
            return at == null ? 0 : at.offset();
        }
    }

    @Test
    void eachFailingBranchKeepsOneSmallStateRecordOfItsOwn() throws Exception {
        String repo = repository();
        int branches = 20;
        for (int i = 0; i < branches; i++) {
            events.publish(failed(run(repo, "feature/f-" + i, Instant.parse("2025-03-14T10:00:00Z").plusSeconds(i))));
        }

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(github.issuesOf(repo)).hasSize(branches));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(stateRecords("issues:github|" + repo))
                .hasSize(branches).allSatisfy((key, memory) -> {
                    assertThat(key).matches("issues:github\\|" + repo + "\\|feature/f-\\d+");
                    assertThat(memory.get("notified")).hasSize(1);
                    assertThat(memory.path("openIssue").path("id").asText()).isNotEmpty();
                    assertThat(memory.toString().length()).isLessThan(300);
                }));
    }

    @Test
    void aBranchStartsFromTheRecordAnOlderVersionKeptForItsWholeRepositoryWhichIsThenSplitAndDeleted()
            throws Exception {
        ArtifactPublished publication = ArtifactPublished.newBuilder(SampleEvents.artifactPublished())
                .setEventId(UUID.randomUUID().toString()).setRun(run(upgraded, "main", Instant.parse("2025-03-14T11:00:00Z")))
                .build();
        String number = github.issuesOf(upgraded).get(0).get("number").asText();

        events.publish(publication);

        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(github.issue(upgraded, number).get("state").asText()).isEqualTo("closed"));
        assertThat(github.requests(call("POST", "/repos/" + upgraded + "/issues/" + number + "/comments", 201)))
                .singleElement().satisfies(r -> assertThat(r.json().get("body").asText()).contains("published again"));
        assertThat(github.issuesOf(upgraded)).hasSize(1);
        Map<String, JsonNode> records = stateRecords("issues:github|" + upgraded);
        assertThat(records).containsEntry("issues:github|" + upgraded, null);
        assertThat(records.get("issues:github|" + upgraded + "|develop").path("openIssue").path("id").asText())
                .as("a branch the older record named keeps its issue in a record of its own").isEqualTo("999");
    }

    @Test
    void aStrangersMarkedAndLabelledIssueIsNotAdoptedAndTheNotifierOpensItsOwn() {
        String repo = repository();
        BuildFailed failure = failed(run(repo, "main", Instant.parse("2025-03-14T12:00:00Z")));
        String planted = github.plantIssue(repo, "mallory", "click here\n\n"
                + IssueMarker.of(EventMapping.toNotification(failure).orElseThrow()).line() + "\n", List.of("slipway"));

        events.publish(failure);

        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(github.requests(call("POST", "/repos/" + repo + "/issues", 201))).hasSize(1));
        assertThat(github.issuesOf(repo)).hasSize(2).filteredOn(i -> !i.get("number").asText().equals(planted))
                .singleElement().satisfies(own -> assertThat(own.path("user").path("login").asText()).isEqualTo("octocat"));
        assertThat(github.requests(r -> r.rawPath().startsWith("/repos/" + repo + "/issues/" + planted))).isEmpty();
        assertThat(github.requests(call("GET", "/repos/" + repo + "/issues", 200)))
                .allSatisfy(list -> assertThat(list.query()).containsEntry("creator", "octocat"));
    }
}

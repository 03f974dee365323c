package io.slipway.notifier.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.slipway.common.kafka.DeadLetterHeaders;
import io.slipway.common.kafka.EventPublisher;
import io.slipway.common.testing.SlipwayTestProperties;
import io.slipway.common.testing.TopicReader;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.BuildFailed;
import io.slipway.events.ChangeRequest;
import io.slipway.events.Commit;
import io.slipway.events.CommitReceived;
import io.slipway.events.Deployed;
import io.slipway.events.Stage;
import io.slipway.events.Repository;
import io.slipway.events.RunContext;
import io.slipway.events.TestsPassed;
import io.slipway.notifier.domain.IssueMarker;
import io.slipway.notifier.fakes.FakeApi.Answer;
import io.slipway.notifier.fakes.FakeApi.Request;
import io.slipway.notifier.fakes.FakeGitHub;
import io.slipway.notifier.fakes.FakeGitLab;
import io.slipway.notifier.fakes.FakeSlack;
import io.slipway.schemas.RunIds;
import io.slipway.schemas.SampleEvents;
import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.serde.AvroEventSerializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
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
 * notifier-service through a real broker and registry, with Slack, GitHub and GitLab replaced by local servers that
 * check every request against the documented APIs: events in, HTTP calls out, exactly once per event and channel,
 * across a restart, with retries, dead letters and channels that do not wait for each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotificationsThroughKafkaTest {

    private static final String GITHUB_TOKEN = "ghp_integrationTestToken0123456789abcd";
    private static final String GITLAB_TOKEN = "glpat-integrationTestToken01";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(45);

    private final SharedDevStack stack = SharedDevStack.get();
    private final FakeSlack ops = new FakeSlack();
    private final FakeSlack team = new FakeSlack();
    private final FakeGitHub github = new FakeGitHub(GITHUB_TOKEN);
    private final FakeGitLab gitlab = new FakeGitLab(GITLAB_TOKEN);
    private ApplicationContext notifier;
    private EventPublisher events;
    private KafkaProducer<byte[], byte[]> raw;

    private Map<String, Object> config() {
        Map<String, Object> config = new HashMap<>(SlipwayTestProperties.against(stack));
        config.put("slipway.notifier.run-url", "https://ci.example.com/runs/{runId}");
        config.put("slipway.notifier.request-timeout", "2s");
        config.put("slipway.notifier.retry.budget", "30s");
        config.put("slipway.notifier.retry.initial-backoff", "100ms");
        config.put("slipway.notifier.retry.max-backoff", "400ms");
        config.put("slipway.notifier.retry.max-retry-after", "5s");
        config.put("slipway.notifier.slack[0].name", "ops");
        config.put("slipway.notifier.slack[0].webhook-url", ops.webhookUrl().toString());
        config.put("slipway.notifier.slack[1].name", "team");
        config.put("slipway.notifier.slack[1].webhook-url", team.webhookUrl().toString());
        forge(config, 0, "github", github.uri().toString(), GITHUB_TOKEN, "octo-org/**,team-org/**");
        forge(config, 1, "gitlab", gitlab.apiUrl().toString(), GITLAB_TOKEN, "infra/**");
        route(config, 0, "octo-org/**", "ops", "github");
        route(config, 1, "infra/**", "ops", "gitlab");
        route(config, 2, "team-org/**", "team,ops", "github");
        route(config, 3, "octo-org/**", "team", "github");
        config.put("slipway.notifier.routes[3].events", "FAILED,PASSED");
        config.put("slipway.notifier.routes[3].requests", "only");
        config.put("slipway.notifier.routes[4].repositories", "octo-org/**");
        config.put("slipway.notifier.routes[4].stages", "DEPLOY");
        config.put("slipway.notifier.routes[4].events", "DEPLOYED,ROLLED_BACK,FAILED");
        config.put("slipway.notifier.routes[4].environments", "staging,production");
        config.put("slipway.notifier.routes[4].slack", "team");
        return config;
    }

    /** Declares forge {@code i} (named as its type) with commit statuses on. */
    static void forge(Map<String, Object> config, int i, String type, String url, String token, String repositories) {
        config.put("slipway.notifier.forges[" + i + "].name", type);
        config.put("slipway.notifier.forges[" + i + "].type", type);
        config.put("slipway.notifier.forges[" + i + "].base-url", url);
        config.put("slipway.notifier.forges[" + i + "].token", token);
        config.put("slipway.notifier.forges[" + i + "].repositories", repositories);
        config.put("slipway.notifier.forges[" + i + "].commit-status", "true");
    }

    /** Declares route {@code i}: failures and publications of {@code repositories} to these Slack webhooks and forges. */
    static void route(Map<String, Object> config, int i, String repositories, String slack, String issues) {
        config.put("slipway.notifier.routes[" + i + "].repositories", repositories);
        config.put("slipway.notifier.routes[" + i + "].branches", "**");
        config.put("slipway.notifier.routes[" + i + "].events", "FAILED,PUBLISHED");
        config.put("slipway.notifier.routes[" + i + "].slack", slack);
        config.put("slipway.notifier.routes[" + i + "].issues", issues);
    }

    @BeforeAll
    void start() {
        notifier = ApplicationContext.run(config());
        Map<String, Object> producer = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        events = new EventPublisher(new KafkaProducer<>(producer, new StringSerializer(),
                new AvroEventSerializer(new SchemaRegistryClient(stack.registryUrl()))), Duration.ofSeconds(30));
        raw = new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    void stop() {
        notifier.close();
        events.close();
        raw.close();
        List.of(ops, team, github, gitlab).forEach(fake -> {
            assertThat(fake.violations()).isEmpty();
            fake.close();
        });
    }

    private void restart() {
        notifier.close();
        notifier = ApplicationContext.run(config());
    }

    // ---- events --------------------------------------------------------------------------------------------------

    private static String sha() {
        byte[] bytes = new byte[20];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static RunContext run(String repository, String sha, Instant triggeredAt) {
        RunContext sample = SampleEvents.run();
        return RunContext.newBuilder(sample).setRunId(RunIds.runId(repository, sha, SampleEvents.REF))
                .setRepository(Repository.newBuilder(sample.getRepository()).setFullName(repository)
                        .setWebUrl("https://github.com/" + repository).build())
                .setCommit(Commit.newBuilder(sample.getCommit()).setSha(sha).build())
                .setTriggeredAt(triggeredAt).build();
    }

    private static BuildFailed failed(RunContext run) {
        return BuildFailed.newBuilder(SampleEvents.buildFailed()).setEventId(UUID.randomUUID().toString()).setRun(run)
                .setLogExcerpt("Step 4/7 : RUN make\ncurl -H 'Authorization: Bearer " + GITHUB_TOKEN + "'\nmake: *** Error 2").build();
    }

    private static ArtifactPublished published(RunContext run) {
        return ArtifactPublished.newBuilder(SampleEvents.artifactPublished()).setEventId(UUID.randomUUID().toString())
                .setRun(run).build();
    }

    private static CommitReceived received(RunContext run) {
        return CommitReceived.newBuilder(SampleEvents.commitReceived()).setEventId(UUID.randomUUID().toString())
                .setRun(run).build();
    }

    /** A run of pull request {@code number} of {@code repository} from a fork, built from its head ref. */
    private static RunContext requestRun(String repository, String number, String sha, Instant triggeredAt) {
        String ref = "refs/pull/" + number + "/head";
        RunContext run = run(repository, sha, triggeredAt);
        run.setRunId(RunIds.runId(repository, sha, ref));
        run.getCommit().setRef(ref);
        run.setRequest(ChangeRequest.newBuilder().setNumber(Integer.parseInt(number)).setKind("pull")
                .setSourceBranch("feature/login").setTargetBranch("main")
                .setSourceRepository("mallory/" + repository.substring(repository.indexOf('/') + 1))
                .setAuthor("mallory").setFromFork(true).setHeadSha(sha)
                .setWebUrl("https://github.com/" + repository + "/pull/" + number).build());
        return run;
    }

    private static TestsPassed passed(RunContext run) {
        return TestsPassed.newBuilder(SampleEvents.testsPassed()).setEventId(UUID.randomUUID().toString()).setRun(run)
                .build();
    }

    /** {@code run}'s artifact now runs in {@code environment}; for a rollback it was restored there. */
    private static Deployed deployed(RunContext run, String environment, boolean rollback) {
        return Deployed.newBuilder(SampleEvents.deployed()).setEventId(UUID.randomUUID().toString()).setRun(run)
                .setEnvironment(environment).setUrl("http://127.0.0.1:18080/").setRollback(rollback)
                .setRolledBackRunId(rollback ? "r-taken-out" : null).setReason(rollback ? "SMOKE_FAILED" : null).build();
    }

    private static String repository(String owner) {
        return owner + "/app-" + UUID.randomUUID().toString().substring(0, 8);
    }

    // ---- what the fakes saw --------------------------------------------------------------------------------------

    private static List<JsonNode> messagesAbout(FakeSlack slack, String repository) {
        return slack.messages().stream().filter(m -> m.toString().contains(repository)).toList();
    }

    /** Requests with this method, a path matching {@code pathRegex} (regex quoted where literal), answered with {@code status}. */
    private static Predicate<Request> call(String method, String pathRegex, int status) {
        return r -> r.method().equals(method) && r.rawPath().matches(pathRegex) && r.answeredWith() == status;
    }

    private List<ConsumerRecord<byte[], byte[]>> deadLetters(String topic, Predicate<ConsumerRecord<byte[], byte[]>> mine) {
        return TopicReader.readAtLeast(stack.bootstrapServers(), topic, 1).stream().filter(mine).toList();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    // ---- behaviour -----------------------------------------------------------------------------------------------

    @Test
    void oneIssuePerBranchCommentedOnAndClosedAcrossARestartWithEachEventNotifiedOnce() {
        String repo = repository("octo-org");
        String issues = "/repos/" + repo + "/issues";
        Predicate<Request> statuses = call("POST", "/repos/" + repo + "/statuses/.*", 201);
        Instant t0 = Instant.parse("2025-03-14T09:00:00Z");
        RunContext first = run(repo, sha(), t0);
        BuildFailed failure = failed(first);

        events.publish(received(first));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(github.requests(statuses)).hasSize(1));
        events.publish(failure);
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(github.issuesOf(repo)).hasSize(1);
            assertThat(messagesAbout(ops, repo)).hasSize(1);
            assertThat(github.requests(statuses)).hasSize(2);
        });

        restart();
        events.publish(failure);
        RunContext second = run(repo, sha(), t0.plusSeconds(60));
        events.publish(failed(second));
        String number = github.issuesOf(repo).get(0).get("number").asText();
        String comments = issues + "/" + number + "/comments";
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(github.requests(call("POST", comments, 201))).hasSize(1));
        RunContext third = run(repo, sha(), t0.plusSeconds(120));
        events.publish(published(third));
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(github.issuesOf(repo).get(0).get("state").asText()).isEqualTo("closed");
            assertThat(github.requests(statuses)).hasSize(4);
            assertThat(messagesAbout(ops, repo)).hasSize(3);
        });

        assertThat(github.requests(call("POST", issues, 201))).singleElement().satisfies(opened -> {
            assertThat(opened.json().get("title").asText()).isEqualTo("Slipway: main of " + repo + " is failing");
            assertThat(opened.json().get("body").asText()).contains("| Stage | BUILD |", "BUILD_ERROR", "make: *** Error 2")
                    .doesNotContain(GITHUB_TOKEN);
        });
        assertThat(github.requests(call("POST", comments, 201))).extracting(r -> r.json().get("body").asText())
                .satisfiesExactly(c -> assertThat(c).startsWith("Failed again."), c -> assertThat(c).contains("published again"));
        assertThat(github.requests(call("PATCH", issues + "/" + number, 200))).hasSize(1);
        assertThat(github.requests(statuses)).extracting(r -> r.rawPath().substring(r.rawPath().lastIndexOf('/') + 1)
                + " " + r.json().get("state").asText()).containsExactly(
                first.getCommit().getSha() + " pending", first.getCommit().getSha() + " failure",
                second.getCommit().getSha() + " failure", third.getCommit().getSha() + " success");
        assertThat(messagesAbout(ops, repo)).extracting(m -> m.get("text").asText()).satisfiesExactly(
                t -> assertThat(t).startsWith("Failed at BUILD"), t -> assertThat(t).startsWith("Failed at BUILD"),
                t -> assertThat(t).startsWith("Published"));
    }

    @Test
    void aFailingPullRequestFromAForkGetsOneCommentUpdatedInPlaceEvenAfterItsMemoryIsLost() throws Exception {
        String repo = repository("octo-org");
        String number = github.openPullRequest(repo, "mallory");
        String marker = new IssueMarker(repo, "request:#" + number, null).line();
        github.plantComment(repo, number, "mallory", "Copied from the bot:\n\n" + marker);
        Predicate<Request> statuses = call("POST", "/repos/" + repo + "/statuses/.*", 201);
        Predicate<Request> updates = call("PATCH", "/repos/" + repo + "/issues/comments/\\d+", 200);
        Instant t0 = Instant.parse("2025-03-14T14:00:00Z");
        RunContext head1 = requestRun(repo, number, sha(), t0);

        events.publish(received(head1));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(github.requests(statuses)).hasSize(1));
        events.publish(failed(head1));
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(ownComments(repo, number)).hasSize(1);
            assertThat(github.requests(statuses)).hasSize(2);
        });
        String commentId = ownComments(repo, number).get(0).get("id").asText();

        notifier.close();
        raw.send(new ProducerRecord<>(Topics.NOTIFIER_STATE, ("requests:github|" + repo + "|request:#" + number)
                .getBytes(StandardCharsets.UTF_8), null)).get();
        notifier = ApplicationContext.run(config());
        RunContext head2 = requestRun(repo, number, sha(), t0.plusSeconds(60));
        events.publish(failed(head2));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(github.requests(updates)).hasSize(1));
        RunContext head3 = requestRun(repo, number, sha(), t0.plusSeconds(120));
        BuildFailed superseded = BuildFailed.newBuilder(failed(head3)).setReasonCode("SUPERSEDED").build();
        RunContext push = run(repo, sha(), t0.plusSeconds(150));
        RunContext head4 = requestRun(repo, number, sha(), t0.plusSeconds(180));
        events.publish(superseded);
        events.publish(passed(push));
        events.publish(passed(head4));
        String head4Success = "/repos/" + repo + "/statuses/" + head4.getCommit().getSha();
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(github.requests(updates)).hasSize(2);
            assertThat(github.requests(call("POST", head4Success, 201))).hasSize(1);
            assertThat(github.requests(call("POST", "/repos/" + repo + "/statuses/" + head3.getCommit().getSha(), 201)))
                    .hasSize(1);
            assertThat(messagesAbout(team, repo)).hasSize(3);
        });

        assertThat(ownComments(repo, number)).singleElement().satisfies(comment -> {
            assertThat(comment.get("id").asText()).isEqualTo(commentId);
            assertThat(comment.get("body").asText()).contains("#" + number + " passes now",
                    head4.getCommit().getSha().substring(0, 7)).endsWith(" -->\n");
        });
        assertThat(github.requests(call("GET", "/repos/" + repo + "/issues/" + number + "/comments", 200))).hasSize(2);
        assertThat(github.commentsOn(repo, number)).hasSize(2)
                .anySatisfy(c -> assertThat(c.get("body").asText()).startsWith("Copied from the bot"));
        assertThat(github.requests(updates)).allSatisfy(r -> assertThat(r.rawPath()).endsWith("/" + commentId))
                .first().satisfies(r -> assertThat(r.json().get("body").asText())
                        .contains("fails at BUILD", "| Head | [`" + head2.getCommit().getSha().substring(0, 7)));
        assertThat(github.requests(statuses)).extracting(r -> r.rawPath().substring(r.rawPath().lastIndexOf('/') + 1)
                + " " + r.json().get("state").asText()).containsExactlyInAnyOrder(
                head1.getCommit().getSha() + " pending", head1.getCommit().getSha() + " failure",
                head2.getCommit().getSha() + " failure", head3.getCommit().getSha() + " error",
                head4.getCommit().getSha() + " success");
        assertThat(github.requests(call("POST", "/repos/" + repo + "/issues", 201))).isEmpty();
        assertThat(messagesAbout(ops, repo)).isEmpty();
        assertThat(messagesAbout(team, repo)).extracting(m -> m.get("text").asText()).satisfiesExactly(
                t -> assertThat(t).startsWith("Failed at BUILD (BUILD_ERROR): " + repo + " #" + number),
                t -> assertThat(t).startsWith("Failed at BUILD (BUILD_ERROR): " + repo + " #" + number),
                t -> assertThat(t).startsWith("Passed: " + repo + " #" + number));
        assertThat(messagesAbout(team, repo).get(0).toString()).contains("from a fork", "feature/login", "→ `main`");
    }

    /** The comments the notifier's account wrote on a pull request. */
    private List<JsonNode> ownComments(String repository, String number) {
        return github.commentsOn(repository, number).stream()
                .filter(c -> c.path("user").path("login").asText().equals("octocat")).map(c -> (JsonNode) c).toList();
    }

    @Test
    void aGitLabProjectGetsItsIssueNoteClosingAndCommitStatuses() {
        String repo = repository("infra");
        String project = "/api/v4/projects/" + repo.replace("/", "%2F");
        RunContext broken = run(repo, sha(), Instant.parse("2025-03-14T10:00:00Z"));
        RunContext fixed = run(repo, sha(), Instant.parse("2025-03-14T10:05:00Z"));

        events.publish(failed(broken));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(gitlab.requests(call("POST", project + "/issues", 201))).hasSize(1));
        events.publish(published(fixed));

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(gitlab.requests(call("PUT", project + "/issues/.*", 200))).hasSize(1);
            assertThat(gitlab.requests(call("POST", project + "/statuses/.*", 201))).extracting(r -> r.json().get("state").asText())
                    .containsExactly("failed", "success");
            assertThat(messagesAbout(ops, repo)).hasSize(2);
        });
        assertThat(gitlab.requests(call("POST", project + "/issues/.*", 201))).singleElement()
                .satisfies(r -> assertThat(r.rawPath()).endsWith("/notes"));
    }

    @Test
    void aFailingChannelDelaysNoOtherChannelAndIsRetriedHonouringRetryAfter() {
        String repo = repository("team-org");
        team.answerAlways(Answer.text(503, "service_unavailable"));

        events.publish(failed(run(repo, sha(), Instant.parse("2025-03-14T11:00:00Z"))));
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(messagesAbout(ops, repo)).hasSize(1);
            assertThat(github.requests(call("POST", "/repos/" + repo + "/issues", 201))).hasSize(1);
        });
        assertThat(messagesAbout(team, repo)).isEmpty();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(notifier.getBean(ChannelWorkers.class).states())
                .containsEntry("slack:ops", "delivering").hasEntrySatisfying("slack:team", state -> assertThat(state)
                        .startsWith("retrying after attempt").contains("HTTP 503 service_unavailable")));
        team.answerNext(Answer.text(429, "rate_limited", "Retry-After", "1"));
        team.recover();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(messagesAbout(team, repo)).hasSize(1));
        List<Request> attempts = team.requests(r -> r.body().contains(repo));
        Request limited = attempts.stream().filter(r -> r.answeredWith() == 429).findFirst().orElseThrow();
        Request delivered = attempts.get(attempts.size() - 1);
        assertThat(delivered.answeredWith()).isEqualTo(200);
        assertThat(Duration.between(limited.at(), delivered.at())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(attempts.stream().filter(r -> r.answeredWith() == 503)).isNotEmpty();
    }

    @Test
    void aRejectedNotificationGoesToTheDeadLetterTopicWithTheResponseAndTheOthersStillGetIt() {
        String repo = repository("team-org");
        team.answerNext(Answer.text(404, "channel_not_found"));
        BuildFailed failure = failed(run(repo, sha(), Instant.parse("2025-03-14T12:00:00Z")));

        events.publish(failure);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(deadLetters(Topics.deadLetter(Topics.NOTIFIER_DELIVERIES),
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(failure.getEventId()))).singleElement().satisfies(r -> {
                    assertThat(header(r, DeliveryQueue.CHANNEL_HEADER)).isEqualTo("slack:team");
                    assertThat(header(r, ChannelWorker.RESPONSE_STATUS)).isEqualTo("404");
                    assertThat(header(r, ChannelWorker.RESPONSE_BODY)).isEqualTo("channel_not_found");
                    assertThat(header(r, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(Topics.NOTIFIER_DELIVERIES);
                    assertThat(header(r, DeadLetterHeaders.SERVICE)).isEqualTo("notifier-service");
                    assertThat(header(r, DeadLetterHeaders.EXCEPTION_MESSAGE)).contains("HTTP 404 channel_not_found")
                            .doesNotContain(FakeSlack.PATH);
                    assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(repo);
                }));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(messagesAbout(ops, repo)).hasSize(1));
        assertThat(messagesAbout(team, repo)).isEmpty();
    }

    @Test
    void anUnreadableDeliveryIsDeadLetteredAndTheChannelDeliversTheNextOne() throws Exception {
        String repo = repository("team-org");
        ProducerRecord<byte[], byte[]> unreadable = new ProducerRecord<>(Topics.NOTIFIER_DELIVERIES,
                repo.getBytes(StandardCharsets.UTF_8), ("{\"not a delivery\": " + repo).getBytes(StandardCharsets.UTF_8));
        unreadable.headers().add(DeliveryQueue.CHANNEL_HEADER, "slack:team".getBytes(StandardCharsets.UTF_8));
        raw.send(unreadable).get();
        events.publish(failed(run(repo, sha(), Instant.parse("2025-03-14T12:30:00Z"))));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(messagesAbout(team, repo)).hasSize(1));
        assertThat(deadLetters(Topics.deadLetter(Topics.NOTIFIER_DELIVERIES),
                r -> new String(r.value(), StandardCharsets.UTF_8).contains("not a delivery\": " + repo)))
                .singleElement().satisfies(r -> {
                    assertThat(header(r, DeadLetterHeaders.REASON)).isEqualTo("DESERIALIZATION");
                    assertThat(header(r, DeliveryQueue.CHANNEL_HEADER)).isEqualTo("slack:team");
                });
    }

    @Test
    void anUndecodableEventIsDeadLetteredOnceWhateverTheNumberOfChannels() throws Exception {
        String repo = repository("octo-org");
        byte[] garbage = ("not avro " + repo).getBytes(StandardCharsets.UTF_8);
        raw.send(new ProducerRecord<>(Topics.FAILURES, repo.getBytes(StandardCharsets.UTF_8), garbage)).get();
        events.publish(failed(run(repo, sha(), Instant.parse("2025-03-14T13:00:00Z"))));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(messagesAbout(ops, repo)).hasSize(1));
        assertThat(deadLetters(Topics.deadLetter(Topics.FAILURES), r -> new String(r.value(), StandardCharsets.UTF_8).contains(repo)))
                .singleElement().satisfies(r -> assertThat(header(r, DeadLetterHeaders.REASON)).isEqualTo("DESERIALIZATION"));
    }

    @Test
    void aDeploymentReachesSlackGitHubsDeploymentsAndTheEnvironmentsStatusOnceAndARollbackReplacesIt() {
        String repo = repository("octo-org");
        Predicate<Request> created = call("POST", "/repos/" + repo + "/deployments", 201);
        Predicate<Request> deploymentStatuses = call("POST", "/repos/" + repo + "/deployments/\\d+/statuses", 201);
        Predicate<Request> statuses = call("POST", "/repos/" + repo + "/statuses/.*", 201);
        RunContext good = run(repo, sha(), Instant.parse("2025-03-14T15:00:00Z"));
        RunContext bad = run(repo, sha(), Instant.parse("2025-03-14T15:05:00Z"));
        Deployed staging = deployed(good, "staging", false);

        events.publish(staging);
        awaitDeployments(repo, deploymentStatuses, 1);
        events.publish(staging);
        events.publish(deployed(bad, "staging", false));
        awaitDeployments(repo, deploymentStatuses, 2);
        // Failures come on another topic: each step waits for the one before, as the deployer emits them in turn.
        events.publish(BuildFailed.newBuilder(failed(bad)).setStage(Stage.DEPLOY).setReasonCode("SMOKE_FAILED")
                .setMessage("GET / answered 500, expected 200; rolled back").setEnvironment("staging").build());
        awaitDeployments(repo, deploymentStatuses, 3);
        events.publish(deployed(good, "staging", true));
        awaitDeployments(repo, deploymentStatuses, 4);

        assertThat(github.requests(created)).extracting(r -> r.json().get("ref").asText() + " "
                + r.json().get("environment").asText()).containsExactly(good.getCommit().getSha() + " staging",
                bad.getCommit().getSha() + " staging", bad.getCommit().getSha() + " staging",
                good.getCommit().getSha() + " staging");
        assertThat(github.deploymentsOf(repo)).extracting(d -> github.deploymentStates(repo, d.get("id").asInt()))
                .containsExactly(List.of("success", "inactive"), List.of("success", "inactive"), List.of("failure"),
                        List.of("success"));
        assertThat(github.requests(deploymentStatuses).get(0).json().get("environment_url").asText())
                .isEqualTo("http://127.0.0.1:18080/");
        assertThat(github.requests(statuses)).extracting(r -> r.rawPath().substring(r.rawPath().lastIndexOf('/') + 1)
                + " " + r.json().get("context").asText() + " " + r.json().get("state").asText()).containsExactly(
                good.getCommit().getSha() + " slipway/deploy/staging success",
                bad.getCommit().getSha() + " slipway/deploy/staging success",
                bad.getCommit().getSha() + " slipway/deploy/staging failure",
                good.getCommit().getSha() + " slipway/deploy/staging success");
        assertThat(messagesAbout(team, repo)).extracting(m -> m.get("text").asText()).satisfiesExactly(
                t -> assertThat(t).startsWith("Deployed to staging: " + repo),
                t -> assertThat(t).startsWith("Deployed to staging: " + repo),
                t -> assertThat(t).startsWith("Failed to deploy to staging (SMOKE_FAILED): " + repo),
                t -> assertThat(t).startsWith("Rolled back in staging: " + repo));
        assertThat(messagesAbout(team, repo).get(3).toString()).contains("took out run r-taken-out");
    }

    /** Waits until GitHub, Slack and the commit statuses each heard of {@code count} deployments of the repository. */
    private void awaitDeployments(String repo, Predicate<Request> deploymentStatuses, int count) {
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(github.requests(deploymentStatuses)).hasSize(count);
            assertThat(github.requests(call("POST", "/repos/" + repo + "/statuses/.*", 201))).hasSize(count);
            assertThat(messagesAbout(team, repo)).hasSize(count);
        });
    }

    @Test
    void anUndecodableDeploymentIsDeadLetteredAndTheNextOneIsNotified() throws Exception {
        String repo = repository("octo-org");
        byte[] garbage = ("not avro " + repo).getBytes(StandardCharsets.UTF_8);
        raw.send(new ProducerRecord<>(Topics.DEPLOYMENTS, repo.getBytes(StandardCharsets.UTF_8), garbage)).get();
        events.publish(deployed(run(repo, sha(), Instant.parse("2025-03-14T16:00:00Z")), "production", false));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(messagesAbout(team, repo)).hasSize(1));
        assertThat(deadLetters(Topics.deadLetter(Topics.DEPLOYMENTS), r -> new String(r.value(), StandardCharsets.UTF_8).contains(repo)))
                .singleElement().satisfies(r -> assertThat(header(r, DeadLetterHeaders.REASON)).isEqualTo("DESERIALIZATION"));
    }
}

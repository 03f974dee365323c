package io.slipway.trigger.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.slipway.common.requests.RequestStates;
import io.slipway.common.requests.KafkaRequestStates;
import io.slipway.common.testing.TopicReader;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.events.CommitReceived;
import io.slipway.events.RequestState;
import io.slipway.schemas.RunIds;
import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.serde.AvroEventDeserializer;
import io.slipway.trigger.WebhookClient;
import io.slipway.trigger.adapter.forge.WebhookSignatures;
import io.slipway.trigger.domain.Outcome;
import io.slipway.trigger.domain.RequestEvent;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.slipway.trigger.messaging.WebhooksThroughKafkaTest.sha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pull and merge request events through a real broker and registry: each head runs once through the push intake,
 * its state lands in {@code slipway.requests}, a fork's request waits for approval (label or {@code POST /approvals}),
 * a close is recorded, and {@code POST /runs} with a request number starts a new attempt. The events arrive as the
 * generic webhook's signed request form, which reads them as every forge's adapter does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestsThroughKafkaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "Bearer run-token-for-tests";

    private final SharedDevStack stack = SharedDevStack.get();
    private ApplicationContext context;
    private WebhookClient client;
    private AvroEventDeserializer deserializer;

    @BeforeAll
    void start() {
        java.util.Map<String, Object> config = WebhooksThroughKafkaTest.triggerConfig(stack);
        config.put("slipway.trigger.repositories[20].pattern", "merging/*");
        config.put("slipway.trigger.repositories[20].secret", WebhookClient.SECRET);
        config.put("slipway.trigger.repositories[20].requests-build", "merge");
        config.put("slipway.trigger.repositories[20].fork-approval", "none");
        config.put("slipway.trigger.repositories[21].pattern", "closed/*");
        config.put("slipway.trigger.repositories[21].secret", WebhookClient.SECRET);
        config.put("slipway.trigger.repositories[21].requests-from-forks", "false");
        context = ApplicationContext.run(config);
        client = new WebhookClient(context.getBean(EmbeddedServer.class).start().getURI());
        deserializer = new AvroEventDeserializer(new SchemaRegistryClient(stack.registryUrl()));
    }

    @AfterAll
    void stop() {
        context.close();
    }

    private static String repo() {
        return "test/pr-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static RequestEvent event(String repository, RequestEvent.Action action, String head, String delivery,
                                      boolean fork, String target, String... labels) {
        return new RequestEvent("github", delivery, action, repository, "https://git.example.org/" + repository + ".git",
                "https://git.example.org/" + repository, 7, RequestEvent.Kind.PULL, "feature", target,
                fork ? "stranger/fork" : repository, fork, head, "octocat", "Add a feature",
                "https://git.example.org/" + repository + "/pull/7", List.of(labels), Instant.parse("2026-12-01T10:00:00Z"));
    }

    /**
     * Sends {@code event} as the generic webhook's signed request form, under its delivery id, and reads the answer
     * back as the outcome it reports (its HTTP status checked against it).
     */
    private Outcome receive(RequestEvent event) throws Exception {
        java.util.Map<String, Object> request = new java.util.LinkedHashMap<>();
        request.put("number", event.number());
        request.put("kind", event.kind().contractName());
        request.put("action", event.action().name().toLowerCase(java.util.Locale.ROOT));
        request.put("sourceBranch", event.sourceBranch());
        request.put("targetBranch", event.targetBranch());
        request.put("sourceRepository", event.sourceRepository());
        request.put("headSha", event.headSha());
        request.put("author", event.author());
        request.put("url", event.requestUrl());
        request.put("labels", event.labels());
        byte[] body = JSON.writeValueAsBytes(java.util.Map.of("repository", event.repository(),
                "cloneUrl", event.cloneUrl(), "webUrl", event.webUrl(), "request", request,
                "message", event.message(), "timestamp", event.timestamp().toString()));
        HttpResponse<String> response = client.post("/webhooks/generic", body, "Content-Type", "application/json",
                "X-Slipway-Event", "request", "X-Slipway-Delivery", event.deliveryId(),
                "X-Slipway-Signature-256", "sha256=" + WebhookSignatures.hmacSha256Hex(WebhookClient.SECRET, body));
        JsonNode answer = body(response);
        String runId = answer.path("runId").asText(null);
        String message = answer.path("message").asText(null);
        Outcome outcome = switch (answer.get("status").asText()) {
            case "accepted" -> new Outcome.Accepted(runId);
            case "duplicate" -> new Outcome.Duplicate(runId, message);
            case "ignored" -> new Outcome.Ignored(message);
            case "closed" -> new Outcome.Closed(message);
            case "awaiting-approval" -> new Outcome.AwaitingApproval(runId, message);
            default -> throw new AssertionError("unexpected answer " + response.statusCode() + " " + response.body());
        };
        boolean started = outcome instanceof Outcome.Accepted || outcome instanceof Outcome.Closed
                || outcome instanceof Outcome.AwaitingApproval;
        assertThat(response.statusCode()).as(response.body()).isEqualTo(started ? 202 : 200);
        return outcome;
    }

    private SpecificRecord decoded(ConsumerRecord<byte[], byte[]> record) {
        try {
            return deserializer.deserialize(record.topic(), record.headers(), record.value());
        } catch (SerializationException poison) {
            return null;
        }
    }

    /** Every CommitReceived of a repository, once one with {@code sentinelSha} and {@code attempt} has arrived. */
    private List<CommitReceived> runsOf(String repository, String sentinelSha, int attempt) {
        List<CommitReceived> events = new ArrayList<>();
        await().untilAsserted(() -> {
            events.clear();
            for (ConsumerRecord<byte[], byte[]> record : TopicReader.readAtLeast(stack.bootstrapServers(), Topics.COMMITS, 1)) {
                if (decoded(record) instanceof CommitReceived event
                        && event.getRun().getRepository().getFullName().equals(repository)) {
                    events.add(event);
                }
            }
            assertThat(events).anySatisfy(e -> {
                assertThat(e.getRun().getCommit().getSha()).isEqualTo(sentinelSha);
                assertThat(e.getRun().getAttempt()).isEqualTo(attempt);
            });
        });
        return events;
    }

    /** Every RequestState of request 7 of a repository, in order, once the last one satisfies {@code until}. */
    private List<RequestState> statesOf(String repository, java.util.function.Predicate<RequestState> until) {
        List<RequestState> states = new ArrayList<>();
        String key = RequestStates.key(repository, 7);
        await().untilAsserted(() -> {
            states.clear();
            for (ConsumerRecord<byte[], byte[]> record : TopicReader.readAtLeast(stack.bootstrapServers(), Topics.REQUESTS, 1)) {
                if (key.equals(new String(record.key(), StandardCharsets.UTF_8))
                        && decoded(record) instanceof RequestState state) {
                    states.add(state);
                }
            }
            assertThat(states).isNotEmpty();
            assertThat(states.get(states.size() - 1)).matches(until);
        });
        return states;
    }

    private HttpResponse<String> post(String path, String body, String... authorization) {
        List<String> headers = new ArrayList<>(List.of("Content-Type", "application/json"));
        if (authorization.length > 0) {
            headers.addAll(List.of("Authorization", authorization[0]));
        }
        return client.post(path, body.getBytes(StandardCharsets.UTF_8), headers.toArray(String[]::new));
    }

    private static JsonNode body(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void anOpenedRequestRunsOnceItsNewHeadRunsAgainAndACloseIsRecorded() throws Exception {
        String repository = repo();
        String head = sha();
        String delivery = UUID.randomUUID().toString();

        Outcome opened = receive(event(repository, RequestEvent.Action.OPENED, head, delivery, false, "main"));
        runsOf(repository, head, 1);
        Outcome redelivered = receive(event(repository, RequestEvent.Action.OPENED, head, delivery, false, "main"));
        Outcome otherDelivery = receive(event(repository, RequestEvent.Action.OPENED, head, "again", false, "main"));
        String second = sha();
        Outcome synchronize = receive(event(repository, RequestEvent.Action.UPDATED, second, "sync", false, "main"));
        List<CommitReceived> runs = runsOf(repository, second, 1);
        List<RequestState> open = statesOf(repository, s -> s.getHeadSha().equals(second));
        Outcome closed = receive(event(repository, RequestEvent.Action.CLOSED, second, "close", false, "main"));
        List<RequestState> states = statesOf(repository, s -> !s.getOpen());

        String runId = RunIds.runId(repository, head, "refs/pull/7/head");
        assertThat(opened).isEqualTo(new Outcome.Accepted(runId));
        assertThat(redelivered).isInstanceOf(Outcome.Duplicate.class);
        assertThat(otherDelivery).isInstanceOf(Outcome.Duplicate.class);
        assertThat(synchronize).isInstanceOf(Outcome.Accepted.class);
        assertThat(closed).isInstanceOf(Outcome.Closed.class);
        assertThat(runs).extracting(e -> e.getRun().getCommit().getSha()).containsExactly(head, second);
        CommitReceived first = runs.get(0);
        assertThat(first.getRun().getRunId()).isEqualTo(runId);
        assertThat(first.getRun().getCommit().getRef()).isEqualTo("refs/pull/7/head");
        assertThat(first.getRun().getRequest().getNumber()).isEqualTo(7);
        assertThat(first.getRun().getRequest().getHeadSha()).isEqualTo(head);
        assertThat(first.getRun().getRequest().getTargetBranch()).isEqualTo("main");
        assertThat(first.getRun().getRequest().getFromFork()).isFalse();
        assertThat(open).extracting(RequestState::getHeadSha).containsExactly(head, second);
        assertThat(open).extracting(RequestState::getSequence)
                .containsExactly(first.getRun().getAcceptedSequence(), runs.get(1).getRun().getAcceptedSequence());
        assertThat(open).allMatch(RequestState::getOpen);
        RequestState last = states.get(states.size() - 1);
        assertThat(last.getHeadSha()).isEqualTo(second);
        assertThat(last.getSequence()).isGreaterThan(runs.get(1).getRun().getAcceptedSequence());
    }

    @Test
    void requestsClosedLongerAgoThanTheRetentionAreForgottenAndAnOldHeadDeliveredAgainIsStillADuplicate()
            throws Exception {
        String closedRepository = repo();
        String openRepository = repo();
        String head = sha();
        String delivery = UUID.randomUUID().toString();
        receive(event(closedRepository, RequestEvent.Action.OPENED, head, delivery, false, "main"));
        runsOf(closedRepository, head, 1);
        receive(event(closedRepository, RequestEvent.Action.CLOSED, head, "close", false, "main"));
        receive(event(openRepository, RequestEvent.Action.OPENED, sha(), UUID.randomUUID().toString(), false, "main"));
        statesOf(openRepository, RequestState::getOpen);
        KafkaRequestStates read = context.getBean(KafkaRequestStates.class);
        await().until(() -> read.get(closedRepository, 7).filter(state -> !state.getOpen()).isPresent());

        RequestStateWriter writer = context.getBean(RequestStateWriter.class);
        assertThat(writer.forgetClosedBefore(Instant.now().minus(Duration.ofHours(1))))
                .as("closed just now: within the retention").isZero();
        assertThat(writer.forgetClosedBefore(Instant.now().plusSeconds(60))).isPositive();

        String key = RequestStates.key(closedRepository, 7);
        await().untilAsserted(() -> assertThat(TopicReader.readAtLeast(stack.bootstrapServers(), Topics.REQUESTS, 1))
                .filteredOn(r -> key.equals(new String(r.key(), StandardCharsets.UTF_8)))
                .last().satisfies(r -> assertThat(r.value()).as("a tombstone").isNull()));
        await().until(() -> read.get(closedRepository, 7).isEmpty());
        assertThat(read.get(openRepository, 7)).as("an open request is kept").isPresent();
        assertThat(receive(event(closedRepository, RequestEvent.Action.OPENED, head, delivery, false, "main")))
                .as("the run ledger still knows the head").isInstanceOf(Outcome.Duplicate.class);
    }

    @Test
    void aRequestIntoAFilteredTargetBranchIsIgnoredAndStartsNothing() throws Exception {
        String repository = repo();

        Outcome filtered = receive(event(repository, RequestEvent.Action.OPENED, sha(), "f", false, "wip/try"));
        String sentinel = sha();
        client.pushGeneric(repository, "refs/heads/main", sentinel, "sentinel");

        assertThat(filtered).isInstanceOfSatisfying(Outcome.Ignored.class,
                ignored -> assertThat(ignored.reason()).contains("wip/**"));
        assertThat(runsOf(repository, sentinel, 1)).extracting(e -> e.getRun().getCommit().getSha())
                .containsExactly(sentinel);
    }

    @Test
    void aForksRequestWaitsUntilApprovedThroughPostApprovals() throws Exception {
        String repository = repo();
        String head = sha();
        String approval = "{\"repository\":\"" + repository + "\",\"request\":7}";

        Outcome opened = receive(event(repository, RequestEvent.Action.OPENED, head, "fork", true, "main"));
        RequestState waiting = statesOf(repository, RequestState::getOpen).get(0);
        HttpResponse<String> noToken = post("/approvals", approval);
        HttpResponse<String> unknown = post("/approvals", "{\"repository\":\"" + repository + "\",\"request\":8}", TOKEN);
        HttpResponse<String> approved = post("/approvals", approval, TOKEN);
        List<CommitReceived> runs = runsOf(repository, head, 1);
        List<RequestState> states = statesOf(repository, s -> s.getAwaitingApproval() == null);
        HttpResponse<String> again = post("/approvals", approval, TOKEN);

        assertThat(opened).isInstanceOf(Outcome.AwaitingApproval.class);
        assertThat(waiting.getApproved()).isFalse();
        assertThat(waiting.getAwaitingApproval().getCommit().getSha()).isEqualTo(head);
        assertThat(waiting.getAwaitingApproval().getRequest().getFromFork()).isTrue();
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(202);
        assertThat(body(approved).get("runId").asText()).isEqualTo(RunIds.runId(repository, head, "refs/pull/7/head"));
        assertThat(runs).singleElement().satisfies(run -> assertThat(run.getRun().getRequest().getFromFork()).isTrue());
        assertThat(states.get(states.size() - 1).getApproved()).isTrue();
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
    }

    @Test
    void theApprovalLabelStartsTheRunThatWaits() throws Exception {
        String repository = repo();
        String head = sha();

        receive(event(repository, RequestEvent.Action.OPENED, head, "fork", true, "main"));
        statesOf(repository, RequestState::getOpen);
        Outcome labeled = receive(event(repository, RequestEvent.Action.LABELED, head, "label", true, "main",
                "slipway/approved"));

        assertThat(labeled).isInstanceOf(Outcome.Accepted.class);
        assertThat(runsOf(repository, head, 1)).hasSize(1);
    }

    @Test
    void theRepositorysSettingsBuildTheMergeRefRunAForkAtOnceOrIgnoreForks() throws Exception {
        String merging = "merging/pr-" + UUID.randomUUID().toString().substring(0, 8);
        String head = sha();

        Outcome fork = receive(event(merging, RequestEvent.Action.OPENED, head, "m", true, "main"));
        Outcome refused = receive(event("closed/app", RequestEvent.Action.OPENED, sha(), "c", true, "main"));

        assertThat(fork).isInstanceOf(Outcome.Accepted.class);
        assertThat(runsOf(merging, head, 1)).singleElement().satisfies(run -> {
            assertThat(run.getRun().getCommit().getRef()).isEqualTo("refs/pull/7/merge");
            assertThat(run.getRun().getRequest().getMergeResult()).isTrue();
            assertThat(run.getRun().getRequest().getHeadSha()).isEqualTo(head);
        });
        assertThat(refused).isInstanceOfSatisfying(Outcome.Ignored.class,
                ignored -> assertThat(ignored.reason()).contains("forks do not run"));
    }

    @Test
    void postRunsWithARequestNumberRunsItsNewestHeadAsANewAttempt() throws Exception {
        String repository = repo();
        String head = sha();
        receive(event(repository, RequestEvent.Action.OPENED, head, "open", false, "main"));
        runsOf(repository, head, 1);
        statesOf(repository, s -> s.getHeadSha().equals(head));

        HttpResponse<String> rerun = post("/runs", "{\"repository\":\"" + repository + "\",\"request\":7}", TOKEN);
        HttpResponse<String> unknown = post("/runs", "{\"repository\":\"" + repository + "\",\"request\":8}", TOKEN);
        HttpResponse<String> both = post("/runs", "{\"repository\":\"" + repository
                + "\",\"request\":7,\"ref\":\"refs/heads/main\"}", TOKEN);

        assertThat(rerun.statusCode()).as(rerun.body()).isEqualTo(202);
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
        assertThat(both.statusCode()).as(both.body()).isEqualTo(400);
        List<CommitReceived> runs = runsOf(repository, head, 2);
        assertThat(runs).extracting(e -> e.getRun().getAttempt()).containsExactly(1, 2);
        assertThat(runs.get(1).getSource()).isEqualTo("manual");
        assertThat(runs.get(1).getRun().getRequest().getNumber()).isEqualTo(7);
    }
}

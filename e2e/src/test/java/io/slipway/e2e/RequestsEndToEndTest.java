package io.slipway.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.common.text.SecretMask;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.BuildFailed;
import io.slipway.events.CommitReceived;
import io.slipway.events.ImageBuilt;
import io.slipway.events.Stage;
import io.slipway.events.TestsPassed;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pull requests through the whole pipeline as a user runs it: the stack of {@code ./slipway up}, a bare repository
 * standing in for GitHub with the request's {@code refs/pull/N/head} written into it by git, and GitHub's signed
 * {@code pull_request} webhook (the documented {@code opened} delivery, rewritten for the test's repository and head)
 * sent to trigger-service. A request's run is built and tested, told on its head and in one comment, superseded by a
 * newer head, cancelled by a close, held for approval when it comes from a fork, and never released.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestsEndToEndTest {

    private static final String RUN_TOKEN = "e2e-run-token-" + UUID.randomUUID();
    /** An operator's build arg, which a fork's request must never see. */
    private static final String PLANTED = "planted-" + UUID.randomUUID();
    private static final String GREETING = "Hello from a Slipway-built image";
    /** In the command of every slow build step of this class, to find its containers. */
    private static final String SLOW_MARKER = "e2e-requests-slow-step-";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicInteger repositories = new AtomicInteger();
    private SlipwayStack slipway;
    private PipelineEvents events;

    @BeforeAll
    void startSlipway() throws IOException {
        Files.createDirectories(Path.of("target"));
        Path builderConfig = Files.createTempFile(Path.of("target").toAbsolutePath(), "e2e-builder-args", ".yml");
        Files.writeString(builderConfig, "slipway:\n  builder:\n    build-args: {E2E_PLANTED: \"" + PLANTED + "\"}\n");
        slipway = SlipwayStack.start(Map.of("SLIPWAY_RUN_TOKEN", RUN_TOKEN,
                "MICRONAUT_CONFIG_FILES", builderConfig.toString()));
        events = slipway.events();
    }

    @AfterAll
    void stopSlipway() {
        if (slipway != null) {
            slipway.close();
        }
    }

    @Test
    void anOpenedRequestIsBuiltTestedAndToldOnItsHeadButNothingIsReleased() {
        SampleRepository app = newRepository();
        app.commit("A change proposed in a request", "www/index.html", page -> page + "<!-- proposed -->\n");
        String head = app.writeRef("refs/pull/1/head");

        String runId = accepted(pullRequest(app, 1, "opened", head, app.name()));

        assertThat(awaitRequestOutcome(runId)).isInstanceOf(TestsPassed.class);
        assertThat(events.ofRun(runId, CommitReceived.class)).singleElement().satisfies(received -> {
            assertThat(received.getRun().getCommit().getRef()).isEqualTo("refs/pull/1/head");
            assertThat(received.getRun().getCommit().getSha()).isEqualTo(head);
            assertThat(received.getRun().getRequest().getNumber()).isEqualTo(1);
            assertThat(received.getRun().getRequest().getFromFork()).isFalse();
        });
        await("success status on the head " + head).atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                assertThat(statuses(app, head)).anySatisfy(status -> assertThat(status).contains("\"state\":\"success\"")));
        await("the deliverer passing over " + runId).atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                assertThat(slipway.log("deliverer-service").lines()).anySatisfy(line ->
                        assertThat(line).contains("Run " + runId, "tests request #1", "nothing released")));
        assertThat(events.ofRun(runId, ArtifactPublished.class)).isEmpty();
        assertThat(slipway.releaseTags(app.name())).isEmpty();
        assertThat(slipway.stagingTags("staging/" + app.name())).contains(requestTag(1, head));
        assertThat(comments(app, 1)).as("comments on a passing request").isEmpty();

        String runs = slipway.command("runs", "200");
        assertThat(runs.lines().filter(line -> line.contains(head.substring(0, 12)))).as(runs).singleElement()
                .satisfies(line -> assertThat(line).contains("#1").contains("PASSED"));
    }

    @Test
    void aFailingRequestGetsOneCommentUpdatedOnItsNextFailureAndFailureStatuses() {
        SampleRepository app = newRepository();
        app.commit("Change the greeting (breaks the tests)", "www/index.html", page -> page.replace(GREETING, "Goodbye"));
        String first = app.writeRef("refs/pull/2/head");
        String firstRun = accepted(pullRequest(app, 2, "opened", first, app.name()));
        assertTestsFailed(firstRun);
        await("failure status and a comment").atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            assertThat(statuses(app, first)).anySatisfy(status -> assertThat(status).contains("\"state\":\"failure\""));
            assertThat(comments(app, 2)).singleElement();
        });

        app.commit("Still broken", "www/index.html", page -> page + "<!-- still goodbye -->\n");
        String second = app.writeRef("refs/pull/2/head");
        String secondRun = accepted(pullRequest(app, 2, "synchronize", second, app.name()));
        assertTestsFailed(secondRun);
        await("failure status on the new head and the comment updated").atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            assertThat(statuses(app, second)).anySatisfy(status -> assertThat(status).contains("\"state\":\"failure\""));
            assertThat(commentUpdates()).anySatisfy(update -> assertThat(update.body()).contains(second.substring(0, 7)));
        });
        assertThat(comments(app, 2)).as("comments posted on the request").hasSize(1);
        assertThat(statuses(app, second)).noneMatch(status -> status.contains("\"state\":\"success\""));
    }

    @Test
    void aNewerHeadSupersedesTheRunningBuildLeavingNothingOfItAndIsTested() {
        SampleRepository app = newRepository();
        String slowStep = slowStep(app);
        String first = app.writeRef("refs/pull/3/head");
        String firstRun = accepted(pullRequest(app, 3, "opened", first, app.name()));
        awaitSlowStepRunning(firstRun, slowStep);

        app.commit("Without the slow step", "Dockerfile", dockerfile -> dockerfile.replace(slowStepLine(slowStep), ""));
        String second = app.writeRef("refs/pull/3/head");
        String secondRun = accepted(pullRequest(app, 3, "synchronize", second, app.name()));

        SpecificRecord firstOutcome = awaitRequestOutcome(firstRun);
        assertThat(firstOutcome).isInstanceOfSatisfying(BuildFailed.class, failed -> {
            assertThat(failed.getReasonCode()).isEqualTo("SUPERSEDED");
            assertThat(failed.getStage()).isEqualTo(Stage.BUILD);
        });
        assertThat(awaitRequestOutcome(secondRun)).isInstanceOf(TestsPassed.class);
        assertThat(events.ofRun(firstRun, ImageBuilt.class)).isEmpty();
        assertThat(slipway.stagingTags("staging/" + app.name())).doesNotContain(requestTag(3, first))
                .contains(requestTag(3, second));
        assertNothingLeftOf(firstRun, slowStep);
    }

    @Test
    void aForksRequestWaitsForApprovalAndThenRunsWithoutTheOperatorsBuildArgs() {
        SampleRepository app = newRepository();
        String marker = "e2e-fork-" + UUID.randomUUID();
        app.commit("Print the operators' build arg", "Dockerfile", dockerfile -> dockerfile
                + "ARG E2E_PLANTED\nRUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo " + marker + "=[$E2E_PLANTED]\"]\n");
        String head = app.writeRef("refs/pull/4/head");

        HttpResponse<String> opened = pullRequest(app, 4, "opened", head, "someone-else/" + forkName(app));
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(202);
        assertThat(opened.body()).contains("\"status\":\"awaiting-approval\"");
        String runId = field(opened.body(), "runId");
        HttpResponse<String> withoutToken = slipway.trigger("/approvals", approval(app, 4), Map.of());
        assertThat(withoutToken.statusCode()).isEqualTo(401);
        assertThat(events.ofRun(runId)).as("events of the run awaiting approval").isEmpty();

        HttpResponse<String> approved = slipway.trigger("/approvals", approval(app, 4),
                Map.of("Authorization", "Bearer " + RUN_TOKEN));
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(202);

        assertThat(awaitRequestOutcome(runId)).isInstanceOf(TestsPassed.class);
        assertThat(events.ofRun(runId, CommitReceived.class)).singleElement().satisfies(received -> {
            assertThat(received.getRun().getCommit().getSha()).isEqualTo(head);
            assertThat(received.getRun().getRequest().getFromFork()).isTrue();
        });
        // The repository's own request of the same head gets the build arg (masked in the log): it is set.
        app.writeRef("refs/pull/7/head");
        String ownRunId = accepted(pullRequest(app, 7, "opened", head, app.name()));
        assertThat(awaitRequestOutcome(ownRunId)).isInstanceOf(TestsPassed.class);
        List<String> printed = slipway.log("builder-service").lines()
                .filter(line -> line.contains(marker + "=[") && !line.contains("Step ")).toList();
        assertThat(printed).filteredOn(line -> line.contains("refs/pull/4/head")).singleElement()
                .satisfies(line -> assertThat(line).endsWith(marker + "=[]"));
        assertThat(printed).filteredOn(line -> line.contains("refs/pull/7/head")).singleElement()
                .satisfies(line -> assertThat(line).endsWith(marker + "=[" + SecretMask.MASK + "]"));
        assertThat(slipway.log("builder-service")).doesNotContain(PLANTED);
        assertThat(events.ofRun(runId)).allSatisfy(event -> assertThat(event.toString()).doesNotContain(PLANTED));
        assertThat(slipway.releaseTags(app.name())).isEmpty();
    }

    @Test
    void closingARequestWhileItsBuildRunsCancelsItLeavingNothing() {
        SampleRepository app = newRepository();
        String slowStep = slowStep(app);
        String head = app.writeRef("refs/pull/5/head");
        String runId = accepted(pullRequest(app, 5, "opened", head, app.name()));
        awaitSlowStepRunning(runId, slowStep);

        HttpResponse<String> closed = pullRequest(app, 5, "closed", head, app.name());
        assertThat(closed.statusCode()).as(closed.body()).isEqualTo(202);
        assertThat(closed.body()).contains("\"status\":\"closed\"");

        assertThat(awaitRequestOutcome(runId)).isInstanceOfSatisfying(BuildFailed.class,
                failed -> assertThat(failed.getReasonCode()).isEqualTo("CANCELLED"));
        assertThat(events.ofRun(runId, ImageBuilt.class)).isEmpty();
        assertThat(slipway.stagingTags("staging/" + app.name())).doesNotContain(requestTag(5, head));
        assertNothingLeftOf(runId, slowStep);
    }

    @Test
    void theSameRequestDeliveredAgainStartsOneRun() {
        SampleRepository app = newRepository();
        app.commit("A change delivered twice", "www/index.html", page -> page + "<!-- twice -->\n");
        String head = app.writeRef("refs/pull/6/head");
        String body = pullRequestBody(app, 6, "opened", head, app.name());
        String delivery = UUID.randomUUID().toString();

        HttpResponse<String> first = slipway.githubWebhook("pull_request", body, delivery);
        HttpResponse<String> sameDelivery = slipway.githubWebhook("pull_request", body, delivery);
        HttpResponse<String> otherDelivery = slipway.githubWebhook("pull_request", body, UUID.randomUUID().toString());

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        String runId = field(first.body(), "runId");
        for (HttpResponse<String> again : List.of(sameDelivery, otherDelivery)) {
            assertThat(again.statusCode()).as(again.body()).isIn(200, 202);
            assertThat(again.body()).contains("\"runId\":\"" + runId + "\"");
        }
        assertThat(awaitRequestOutcome(runId)).isInstanceOf(TestsPassed.class);
        assertThat(events.ofRun(runId, CommitReceived.class)).hasSize(1);
        assertThat(events.ofRun(runId, ImageBuilt.class)).hasSize(1);
        assertThat(events.ofRun(runId, TestsPassed.class)).hasSize(1);
    }

    private SampleRepository newRepository() {
        SampleRepository app = slipway.repository("e2e/request-" + repositories.incrementAndGet(), false);
        app.writeRef("refs/heads/main");
        return app;
    }

    /** GitHub's {@code pull_request} delivery of {@code action} with {@code head}, sent to the trigger. */
    private HttpResponse<String> pullRequest(SampleRepository app, int number, String action, String head,
                                             String sourceRepository) {
        return slipway.githubWebhook("pull_request", pullRequestBody(app, number, action, head, sourceRepository),
                UUID.randomUUID().toString());
    }

    /**
     * The documented {@code opened} delivery rewritten: the test's repository (its bare repository's URL to clone),
     * request {@code number} from {@code sourceRepository} into {@code main}, its head, and {@code action}.
     */
    private static String pullRequestBody(SampleRepository app, int number, String action, String head,
                                          String sourceRepository) {
        try (InputStream fixture = RequestsEndToEndTest.class.getResourceAsStream("/github/pull_request.opened.json")) {
            ObjectNode body = (ObjectNode) JSON.readTree(fixture);
            body.put("action", action);
            body.put("number", number);
            ObjectNode repository = (ObjectNode) body.get("repository");
            repository.put("full_name", app.name());
            repository.put("name", app.name().substring(app.name().indexOf('/') + 1));
            repository.put("clone_url", app.cloneUrl());
            repository.put("html_url", "https://forge.invalid/" + app.name());
            ObjectNode request = (ObjectNode) body.get("pull_request");
            request.put("number", number);
            request.put("html_url", "https://forge.invalid/" + app.name() + "/pull/" + number);
            request.put("state", action.equals("closed") ? "closed" : "open");
            request.put("updated_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            request.putArray("labels");
            ObjectNode requestHead = (ObjectNode) request.get("head");
            requestHead.put("ref", "change-" + number);
            requestHead.put("sha", head);
            ((ObjectNode) requestHead.get("repo")).put("full_name", sourceRepository);
            ObjectNode base = (ObjectNode) request.get("base");
            base.put("ref", "main");
            ((ObjectNode) base.get("repo")).put("full_name", app.name());
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String approval(SampleRepository app, int number) {
        return "{\"repository\":\"" + app.name() + "\",\"request\":" + number + "}";
    }

    /** The run id of a request the trigger answered {@code 202 accepted}. */
    private static String accepted(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        assertThat(answer.body()).contains("\"status\":\"accepted\"");
        return field(answer.body(), "runId");
    }

    private static String field(String json, String field) {
        try {
            return JSON.readTree(json).path(field).asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A request's run ends at TEST: its {@code TestsPassed} or {@code BuildFailed}. */
    private SpecificRecord awaitRequestOutcome(String runId) {
        return await("outcome of run " + runId).atMost(PipelineEvents.RUN_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> events.ofRun(runId).stream()
                        .filter(e -> e instanceof TestsPassed || e instanceof BuildFailed).findFirst(),
                        Optional::isPresent).orElseThrow();
    }

    private void assertTestsFailed(String runId) {
        assertThat(awaitRequestOutcome(runId)).isInstanceOfSatisfying(BuildFailed.class, failed -> {
            assertThat(failed.getStage()).isEqualTo(Stage.TEST);
            assertThat(failed.getReasonCode()).isEqualTo("TESTS_FAILED");
        });
    }

    /** The bodies of the commit statuses GitHub's double received for {@code sha}. */
    private List<String> statuses(SampleRepository app, String sha) {
        return slipway.endpoints().requests("/github/repos/" + app.name() + "/statuses/" + sha).stream()
                .map(LocalEndpoints.Request::body).toList();
    }

    /** The comments posted on request {@code number} (GitHub's issue comments of the pull request). */
    private List<LocalEndpoints.Request> comments(SampleRepository app, int number) {
        return slipway.endpoints().requests("/github/repos/" + app.name() + "/issues/" + number + "/comments").stream()
                .filter(request -> request.method().equals("POST")).toList();
    }

    /** The comments edited in place ({@code PATCH /repos/…/issues/comments/<id>}). */
    private List<LocalEndpoints.Request> commentUpdates() {
        return slipway.endpoints().requests("/github/repos/").stream()
                .filter(request -> request.method().equals("PATCH") && request.path().contains("/issues/comments/"))
                .toList();
    }

    /** Adds a {@code RUN} step that takes a minute, unique so the build cache cannot skip it; returns its marker. */
    private static String slowStep(SampleRepository app) {
        String marker = SLOW_MARKER + UUID.randomUUID();
        app.commit("A slow build step", "Dockerfile", dockerfile -> dockerfile + slowStepLine(marker));
        return marker;
    }

    private static String slowStepLine(String marker) {
        return "RUN [\"/bin/busybox\", \"sh\", \"-c\", \"sleep 60; echo " + marker + "\"]\n";
    }

    /** The engine's containers, running or not, whose command carries {@code marker}. */
    private static List<String> containers(String marker, boolean runningOnly) {
        List<String> command = new ArrayList<>(List.of("docker", "-H", "unix:///var/run/docker.sock", "ps",
                "--no-trunc", "--format", "{{.ID}} {{.Command}}"));
        if (!runningOnly) {
            command.add("-a");
        }
        return Commands.run(Path.of("."), Map.of(), Duration.ofSeconds(30), command.toArray(String[]::new))
                .lines().filter(line -> line.contains(marker)).toList();
    }

    /** Waits until the build of {@code runId} runs its {@link #slowStep} in a container. */
    private static void awaitSlowStepRunning(String runId, String slowStep) {
        await("the slow build step of " + runId).atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> !containers(slowStep, true).isEmpty());
    }

    private void assertNothingLeftOf(String runId, String slowStep) {
        await("no container and no workspace of " + runId).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    assertThat(containers(slowStep, false)).as("containers of the slow step").isEmpty();
                    assertThat(slipway.workspaces(1)).as("builder workspaces")
                            .noneMatch(p -> p.getFileName().toString().startsWith(runId));
                });
    }

    private static String requestTag(int number, String head) {
        return "pr-" + number + "-" + head.substring(0, 12);
    }

    private static String forkName(SampleRepository app) {
        return app.name().substring(app.name().indexOf('/') + 1);
    }
}

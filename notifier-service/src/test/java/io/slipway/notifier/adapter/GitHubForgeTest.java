package io.slipway.notifier.adapter;

import io.slipway.notifier.adapter.github.GitHubForge;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.slipway.devstack.sink.NotificationSink;
import io.slipway.notifier.adapter.http.IssueList;
import io.slipway.notifier.adapter.http.JsonHttp;
import io.slipway.notifier.domain.ChangeRequest;
import io.slipway.notifier.domain.ChannelUnavailable;
import io.slipway.notifier.domain.CommitStatuses.State;
import io.slipway.notifier.domain.ForgeDeployments.Result;
import io.slipway.notifier.domain.IssueMarker;
import io.slipway.notifier.domain.Notification;
import io.slipway.notifier.domain.IssueTracker.IssueRef;
import io.slipway.notifier.domain.NotificationRejected;
import io.slipway.notifier.domain.RequestComments.CommentRef;
import io.slipway.notifier.fakes.FakeApi.Answer;
import io.slipway.notifier.fakes.FakeApi.Request;
import io.slipway.notifier.fakes.FakeGitHub;
import io.slipway.notifier.fakes.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.slipway.notifier.Samples.REPOSITORY;
import static io.slipway.notifier.Samples.SHA;
import static io.slipway.notifier.Samples.T0;
import static io.slipway.notifier.Samples.DIGEST;
import static io.slipway.notifier.Samples.URL;
import static io.slipway.notifier.Samples.deployFailed;
import static io.slipway.notifier.Samples.deployed;
import static io.slipway.notifier.Samples.failed;
import static io.slipway.notifier.Samples.rolledBack;
import static io.slipway.notifier.adapter.SlackWebhookTest.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GitHubForgeTest {

    private static final String TOKEN = "ghp_notifierTestToken0123456789abcdefghij";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeGitHub github = new FakeGitHub(TOKEN);
    private final JsonHttp http = new JsonHttp(HttpClient.newHttpClient(), Duration.ofSeconds(5), CLOCK, List.of(TOKEN));
    private final GitHubForge forge = forge(TOKEN, null);

    private GitHubForge forge(String token, String issueRepository) {
        return new GitHubForge("github", github.uri(), token, List.of("slipway", "ci-failure"), issueRepository, "slipway/ci", http);
    }

    @AfterEach
    void stop() {
        assertThat(github.violations()).isEmpty();
        github.close();
    }

    @Test
    void opensCommentsOnAndClosesAnIssueAsDocumented() {
        IssueRef issue = forge.open(REPOSITORY, "Slipway: main of octo-org/hello-service is failing", "body");
        forge.comment(REPOSITORY, issue, "Failed again.");
        forge.close(REPOSITORY, issue);

        assertThat(issue).isEqualTo(new IssueRef("1347", "https://github.com/octo-org/hello-service/issues/1347"));
        assertThat(github.issue(REPOSITORY, "1347").get("state").asText()).isEqualTo("closed");
        List<Request> requests = github.requests();
        assertThat(requests).extracting(r -> r.method() + " " + r.rawPath() + " " + r.answeredWith()).containsExactly(
                "POST /repos/octo-org/hello-service/issues 201",
                "POST /repos/octo-org/hello-service/issues/1347/comments 201",
                "PATCH /repos/octo-org/hello-service/issues/1347 200");
        assertThat(requests.get(0).json().get("labels").toString()).isEqualTo("[\"slipway\",\"ci-failure\"]");
        assertThat(requests.get(2).json().toString()).isEqualTo("{\"state\":\"closed\",\"state_reason\":\"completed\"}");
        assertThat(requests).allSatisfy(r -> assertThat(r.header("authorization")).isEqualTo("Bearer " + TOKEN));
    }

    @Test
    void opensIssuesInTheConfiguredIssueRepository() {
        forge(TOKEN, "octo-org/incidents").open(REPOSITORY, "t", "b");

        assertThat(github.requests()).extracting(Request::rawPath).containsExactly("/repos/octo-org/incidents/issues");
    }

    @Test
    void setsCommitStatusesWithGitHubsStateNames() {
        for (State state : State.values()) {
            forge.set(failed(REPOSITORY, "main", T0), state, "BUILD failed", "https://ci.example.com/runs/1");
        }

        assertThat(github.requests()).allSatisfy(r -> {
            assertThat(r.rawPath()).isEqualTo("/repos/octo-org/hello-service/statuses/" + SHA);
            assertThat(r.answeredWith()).isEqualTo(201);
            assertThat(r.json().get("context").asText()).isEqualTo("slipway/ci");
            assertThat(r.json().get("target_url").asText()).isEqualTo("https://ci.example.com/runs/1");
        }).extracting(r -> r.json().get("state").asText())
                .containsExactly("pending", "success", "failure", "error", "success");
    }

    @Test
    void aWrongTokenAValidationErrorAndAnUnknownIssueAreRefusalsCarryingTheResponse() {
        assertThatThrownBy(() -> forge("ghp_wrong", null).open(REPOSITORY, "t", "b"))
                .isInstanceOfSatisfying(NotificationRejected.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.response()).contains("Bad credentials");
                });
        github.answerNext(Answer.json(422, "{\"message\":\"Validation Failed\",\"errors\":[{\"resource\":\"Issue\",\"code\":\"custom\",\"field\":\"body\",\"message\":\"body is too long\"}]}"));
        assertThatThrownBy(() -> forge.open(REPOSITORY, "t", "b"))
                .isInstanceOfSatisfying(NotificationRejected.class, e -> assertThat(e.response()).contains("body is too long"));
        assertThatThrownBy(() -> forge.comment(REPOSITORY, new IssueRef("999", null), "c"))
                .isInstanceOfSatisfying(NotificationRejected.class, e -> assertThat(e.isGone()).isTrue());
    }

    @Test
    void aRateLimitIsWorthRetryingWhenTheLimitResets() {
        long reset = CLOCK.instant().plusSeconds(42).getEpochSecond();
        github.answerNext(
                Answer.json(403, "{\"message\":\"API rate limit exceeded\"}", "x-ratelimit-remaining", "0", "x-ratelimit-reset", Long.toString(reset)),
                Answer.json(403, "{\"message\":\"You have exceeded a secondary rate limit\"}", "Retry-After", "60"),
                Answer.json(429, "{\"message\":\"API rate limit exceeded\"}", "x-ratelimit-remaining", "0", "x-ratelimit-reset", Long.toString(reset)));

        for (Duration expected : List.of(Duration.ofSeconds(42), Duration.ofSeconds(60), Duration.ofSeconds(42))) {
            assertThatThrownBy(() -> forge.open(REPOSITORY, "t", "b"))
                    .isInstanceOfSatisfying(ChannelUnavailable.class, e -> assertThat(e.retryAfter()).contains(expected));
        }
    }

    @Test
    void aRepositoryThatClimbsThePathIsRefusedBeforeAnyRequest() {
        String traversal = "demo/x/../../victim/repo";

        assertThatThrownBy(() -> forge.set(failed(traversal, "main", T0), State.FAILURE, "d", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a GitHub repository full name");
        assertThatThrownBy(() -> forge.open(traversal, "t", "b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> forge.comment("demo/x%2F..", new IssueRef("1", null), "c"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(github.requests()).isEmpty();
    }

    private static String bodyOf(String branch, String eventId) {
        return "Slipway could not deliver **" + branch + "**.\n\n" + new IssueMarker(REPOSITORY, branch, eventId).line() + "\n";
    }

    /** An issue of the documented list, without the {@code pull_request} key that makes the documented one a pull request. */
    private static ObjectNode listedIssue(int number, String body) {
        ObjectNode issue = Fixtures.object("github/rest/issue.response.documented.json");
        issue.remove("pull_request");
        return issue.put("number", number).put("body", body);
    }

    @Test
    void findsTheNewestOpenIssueOfTheBranchByTheMarkerEndingItsBodyInTheLabelledList() {
        IssueRef closed = forge.open(REPOSITORY, "t", bodyOf("main", "e1"));
        forge.close(REPOSITORY, closed);
        IssueRef older = forge.open(REPOSITORY, "t", bodyOf("main", "e2"));
        IssueRef newer = forge.open(REPOSITORY, "t", bodyOf("main", "e3"));
        forge.open(REPOSITORY, "t", bodyOf("develop", "e4"));
        forge.open(REPOSITORY, "t", "Failed at BUILD\n\n" + new IssueMarker(REPOSITORY, "main", "e5").line() + "\nedited by a person");

        var found = forge.findOpen(REPOSITORY, new IssueMarker(REPOSITORY, "main", "e9"));

        assertThat(found).hasValueSatisfying(issue -> {
            assertThat(issue.ref()).isEqualTo(newer).isNotEqualTo(older);
            assertThat(issue.marker()).isEqualTo(new IssueMarker(REPOSITORY, "main", "e3"));
        });
        Request list = github.requests().get(github.requests().size() - 1);
        assertThat(list.method() + " " + list.rawPath()).isEqualTo("GET /repos/octo-org/hello-service/issues");
        assertThat(list.query()).containsExactly(Map.entry("state", "open"), Map.entry("sort", "created"),
                Map.entry("direction", "desc"), Map.entry("creator", "octocat"), Map.entry("labels", "slipway,ci-failure"),
                Map.entry("per_page", "100"),
                Map.entry("page", "1"));
        assertThat(list.body()).isEmpty();
        assertThat(forge.findOpen(REPOSITORY, new IssueMarker(REPOSITORY, "release/1.x", null))).isEmpty();
    }

    @Test
    void adoptsOnlyIssuesItsOwnAccountOpenedAndAsksForThatAccountOnce() {
        String marked = bodyOf("main", "e1");
        github.plantIssue(REPOSITORY, "mallory", marked, List.of("slipway", "ci-failure"));

        assertThat(forge.findOpen(REPOSITORY, new IssueMarker(REPOSITORY, "main", null))).isEmpty();

        IssueRef own = forge.open(REPOSITORY, "t", marked);
        github.plantIssue(REPOSITORY, "mallory", marked, List.of("slipway", "ci-failure"));
        assertThat(forge.findOpen(REPOSITORY, new IssueMarker(REPOSITORY, "main", null)))
                .map(found -> found.ref()).contains(own);
        assertThat(github.requests(r -> r.rawPath().equals("/user"))).singleElement()
                .satisfies(r -> assertThat(r.header("authorization")).isEqualTo("Bearer " + TOKEN));
    }

    @Test
    void anIssueListedForItsAccountButAuthoredBySomeoneElseIsNotAdopted() {
        ArrayNode list = JSON.createArrayNode().add(listedIssue(9, bodyOf("main", "e1")));
        ((ObjectNode) list.get(0).get("user")).put("login", "mallory");
        github.answerNext(Answer.json(200, list));

        assertThat(forge.findOpen(REPOSITORY, new IssueMarker(REPOSITORY, "main", null))).isEmpty();
    }

    private static boolean isList(Request r) {
        return r.rawPath().endsWith("/issues");
    }

    @Test
    void pagesThroughTheListUntilAShortPageAndSkipsPullRequests() {
        ArrayNode first = JSON.createArrayNode();
        ObjectNode pullRequest = (ObjectNode) Fixtures.json("github/rest/list-issues.response.documented.json").get(0);
        first.add(pullRequest.put("body", bodyOf("main", "e1")));
        for (int i = 1; i < IssueList.PER_PAGE; i++) {
            first.add(listedIssue(2000 + i, bodyOf("feature-" + i, "e")));
        }
        ArrayNode second = JSON.createArrayNode().add(listedIssue(7, bodyOf("main", "e2")));
        github.answerNext(Answer.json(200, first), Answer.json(200, second));

        var found = forge.findOpen(REPOSITORY, new IssueMarker(REPOSITORY, "main", null));

        assertThat(found).map(f -> f.ref().id()).contains("7");
        assertThat(github.requests(GitHubForgeTest::isList)).extracting(r -> r.query().get("page"))
                .containsExactly("1", "2");
    }

    @Test
    void looksAtABoundedNumberOfPages() {
        ArrayNode full = JSON.createArrayNode();
        for (int i = 0; i < IssueList.PER_PAGE; i++) {
            full.add(listedIssue(3000 + i, bodyOf("feature-" + i, "e")));
        }
        github.answerAlways(Answer.json(200, full));

        assertThat(forge.findOpen(REPOSITORY, new IssueMarker(REPOSITORY, "main", null))).isEmpty();
        assertThat(github.requests(GitHubForgeTest::isList)).hasSize(IssueList.PAGES);
    }

    @Test
    void anAnswerThatIsNotAListIsNotTakenForNoIssue() {
        github.answerNext(Answer.json(200, "{\"message\":\"Moved Permanently\"}"));

        assertThatThrownBy(() -> forge.findOpen(REPOSITORY, new IssueMarker(REPOSITORY, "main", null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("github:github");
    }

    @Test
    void theDemoSinkListsNoOpenIssueNorCommentSoTheNotifierWritesThemAndItsDeploymentsThere() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", new NotificationSink(new PrintStream(OutputStream.nullOutputStream()))::handle);
        server.start();
        try {
            GitHubForge demo = new GitHubForge("github", URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                    + "/github"), TOKEN, List.of("slipway"), null, "slipway", http);

            assertThat(demo.findOpen(REPOSITORY, new IssueMarker(REPOSITORY, "main", null))).isEmpty();
            assertThat(demo.open(REPOSITORY, "t", bodyOf("main", "e1")).id()).isNotBlank();
            ChangeRequest request = pullRequest("12");
            assertThat(demo.findOwn(REPOSITORY, request, new IssueMarker(REPOSITORY, "request:#12", null))).isEmpty();
            CommentRef comment = demo.post(REPOSITORY, request, commentOf("12", "e1"));
            demo.update(REPOSITORY, request, comment, commentOf("12", "e2"));
            Notification staging = deployed(REPOSITORY, "staging", T0);
            demo.status(staging, demo.create(staging, Result.SUCCESS, "Deployed to staging").orElseThrow(),
                    Result.SUCCESS, "Deployed to staging", null);
        } finally {
            server.stop(0);
        }
    }

    private ChangeRequest pullRequest(String number) {
        return new ChangeRequest(Integer.parseInt(number), ChangeRequest.Kind.PULL, "feature/login", "main",
                "mallory/hello-service", "mallory", true, SHA, "https://github.com/" + REPOSITORY + "/pull/" + number);
    }

    private static String commentOf(String number, String eventId) {
        return "### Slipway\n\n" + new IssueMarker(REPOSITORY, "request:#" + number, eventId).line() + "\n";
    }

    @Test
    void postsAndUpdatesOneCommentOnAPullRequestAsDocumented() {
        String number = github.openPullRequest(REPOSITORY, "mallory");
        ChangeRequest request = pullRequest(number);

        CommentRef comment = forge.post(REPOSITORY, request, "fails");
        forge.update(REPOSITORY, request, comment, "passes now");

        assertThat(comment.url()).isEqualTo("https://github.com/" + REPOSITORY + "/issues/" + number
                + "#issuecomment-" + comment.id());
        assertThat(github.commentsOn(REPOSITORY, number)).singleElement()
                .satisfies(c -> assertThat(c.get("body").asText()).isEqualTo("passes now"));
        assertThat(github.requests()).extracting(r -> r.method() + " " + r.rawPath() + " " + r.answeredWith() + " " + r.body())
                .containsExactly(
                        "POST /repos/octo-org/hello-service/issues/" + number + "/comments 201 {\"body\":\"fails\"}",
                        "PATCH /repos/octo-org/hello-service/issues/comments/" + comment.id() + " 200 {\"body\":\"passes now\"}");
    }

    @Test
    void findsItsOwnCommentOnAPullRequestByTheMarkerAndNeverAStrangersOne() {
        String number = github.openPullRequest(REPOSITORY, "mallory");
        ChangeRequest request = pullRequest(number);
        github.plantComment(REPOSITORY, number, "mallory", commentOf(number, "e0"));
        assertThat(forge.findOwn(REPOSITORY, request, new IssueMarker(REPOSITORY, "request:#" + number, null))).isEmpty();

        forge.post(REPOSITORY, request, "a comment of the notifier without marker");
        CommentRef own = forge.post(REPOSITORY, request, commentOf(number, "e1"));

        assertThat(forge.findOwn(REPOSITORY, request, new IssueMarker(REPOSITORY, "request:#" + number, "e9")))
                .hasValueSatisfying(found -> {
                    assertThat(found.ref()).isEqualTo(own);
                    assertThat(found.marker().eventId()).isEqualTo("e1");
                });
        Request list = github.requests(r -> r.method().equals("GET") && r.rawPath().endsWith("/comments")).get(0);
        assertThat(list.rawPath()).isEqualTo("/repos/octo-org/hello-service/issues/" + number + "/comments");
        assertThat(list.query()).containsExactly(Map.entry("per_page", "100"), Map.entry("page", "1"));
    }

    @Test
    void setsARequestsStatusOnItsHeadUnderAContextOfItsOwn() {
        ChangeRequest request = pullRequest("12");
        forge.set(io.slipway.notifier.Samples.ofRequest(io.slipway.notifier.domain.EventKind.FAILED, REPOSITORY, request,
                "BUILD_ERROR", T0), State.FAILURE, "BUILD failed", null);

        assertThat(github.requests()).singleElement().satisfies(r -> {
            assertThat(r.rawPath()).isEqualTo("/repos/octo-org/hello-service/statuses/" + SHA);
            assertThat(r.json().get("context").asText()).as("a push of the same commit keeps its own status")
                    .isEqualTo("slipway/ci/request");
        });
    }

    @Test
    void aDeletedCommentIsARefusalThatSaysItIsGone() {
        assertThatThrownBy(() -> forge.update(REPOSITORY, pullRequest("12"), new CommentRef("404", null), "x"))
                .isInstanceOfSatisfying(NotificationRejected.class, e -> assertThat(e.isGone()).isTrue());
    }

    @Test
    void recordsADeploymentOfTheShaAndItsSuccessWithTheEnvironmentsUrlAsDocumented() throws Exception {
        Notification production = deployed(REPOSITORY, "production", T0);

        Optional<String> id = forge.create(production, Result.SUCCESS, "Deployed to production");
        forge.status(production, id.orElseThrow(), Result.SUCCESS, "Deployed to production", null);

        List<Request> requests = github.requests();
        assertThat(requests).extracting(r -> r.method() + " " + r.rawPath() + " " + r.answeredWith()).containsExactly(
                "POST /repos/octo-org/hello-service/deployments 201",
                "POST /repos/octo-org/hello-service/deployments/" + id.get() + "/statuses 201");
        JsonNode created = requests.get(0).json();
        assertThat(created.get("ref").asText()).isEqualTo(SHA);
        assertThat(created.get("environment").asText()).isEqualTo("production");
        assertThat(created.get("auto_merge").asBoolean(true)).isFalse();
        assertThat(created.get("required_contexts").isArray() && created.get("required_contexts").isEmpty()).isTrue();
        assertThat(created.get("production_environment").asBoolean()).isTrue();
        JsonNode payload = JSON.readTree(created.get("payload").asText());
        assertThat(payload.get("runId").asText()).isEqualTo(production.runId());
        assertThat(payload.get("digest").asText()).isEqualTo(DIGEST);
        assertThat(requests.get(1).json().get("state").asText()).isEqualTo("success");
        assertThat(requests.get(1).json().get("environment_url").asText()).isEqualTo(URL);
        assertThat(github.deploymentStates(REPOSITORY, Integer.parseInt(id.get()))).containsExactly("success");
    }

    @Test
    void aRollbackIsANewSuccessfulDeploymentThatLeavesTheEarlierOneInactive() {
        Notification staging = deployed(REPOSITORY, "staging", T0);
        Notification restored = rolledBack(REPOSITORY, "staging", T0);

        String first = forge.create(staging, Result.SUCCESS, "Deployed to staging").orElseThrow();
        forge.status(staging, first, Result.SUCCESS, "Deployed to staging", null);
        String second = forge.create(restored, Result.SUCCESS, "Restored in staging").orElseThrow();
        forge.status(restored, second, Result.SUCCESS, "Restored in staging", null);

        assertThat(github.requests().get(0).json().get("production_environment").asBoolean(true)).isFalse();
        assertThat(github.deploymentStates(REPOSITORY, Integer.parseInt(first))).containsExactly("success", "inactive");
        assertThat(github.deploymentStates(REPOSITORY, Integer.parseInt(second))).containsExactly("success");
    }

    @Test
    void aFailedDeploymentIsRecordedAsAFailureWithoutAnEnvironmentUrl() {
        Notification failure = deployFailed(REPOSITORY, "staging", T0);

        String id = forge.create(failure, Result.FAILURE, "Deploying to staging failed").orElseThrow();
        forge.status(failure, id, Result.FAILURE, "Deploying to staging failed", "https://ci.example.com/runs/1");

        Request status = github.requests().get(1);
        assertThat(status.json().get("state").asText()).isEqualTo("failure");
        assertThat(status.json().has("environment_url")).isFalse();
        assertThat(status.json().get("log_url").asText()).isEqualTo("https://ci.example.com/runs/1");
        assertThat(github.deploymentsOf(REPOSITORY).get(0).get("payload").has("digest")).isFalse();
    }

    @Test
    void anAutoMergeAnsweredWith202IsNoDeploymentAndGetsNoStatus() {
        github.answerNext(Answer.json(202, Fixtures.json("github/rest/create-deployment.response-202.documented.json")));

        assertThat(forge.create(deployed(REPOSITORY, "staging", T0), Result.SUCCESS, "Deployed to staging")).isEmpty();
        assertThat(github.requests()).extracting(Request::answeredWith).containsExactly(202);
    }

    @Test
    void theCommitStatusOfADeploymentIsTheEnvironmentsAndLinksWhereItAnswers() {
        forge.set(deployed(REPOSITORY, "staging", T0), State.SUCCESS, "Deployed to staging", URL);
        forge.set(deployFailed(REPOSITORY, "production", T0), State.FAILURE, "Deploying to production failed", null);

        assertThat(github.requests()).extracting(r -> r.json().get("context").asText() + " " + r.json().get("state").asText())
                .containsExactly("slipway/ci/deploy/staging success", "slipway/ci/deploy/production failure");
        assertThat(github.requests().get(0).json().get("target_url").asText()).isEqualTo(URL);
    }
}

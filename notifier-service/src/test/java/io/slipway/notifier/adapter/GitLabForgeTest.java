package io.slipway.notifier.adapter;

import io.slipway.notifier.adapter.gitlab.GitLabForge;
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
import io.slipway.notifier.fakes.FakeGitLab;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.slipway.notifier.Samples.SHA;
import static io.slipway.notifier.Samples.T0;
import static io.slipway.notifier.Samples.deployFailed;
import static io.slipway.notifier.Samples.deployed;
import static io.slipway.notifier.Samples.failed;
import static io.slipway.notifier.adapter.SlackWebhookTest.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GitLabForgeTest {

    private static final String TOKEN = "glpat-notifierTestToken0123";
    private static final String PROJECT = "my-group/sub.group/my-project";

    private final FakeGitLab gitlab = new FakeGitLab(TOKEN);
    private final JsonHttp http = new JsonHttp(HttpClient.newHttpClient(), Duration.ofSeconds(5), CLOCK, List.of(TOKEN));
    private final GitLabForge forge = forge(TOKEN);

    private GitLabForge forge(String token) {
        return new GitLabForge("gitlab", gitlab.apiUrl(), token, List.of("slipway", "ci"), null, "slipway", http);
    }

    @AfterEach
    void stop() {
        assertThat(gitlab.violations()).isEmpty();
        gitlab.close();
    }

    @Test
    void opensNotesAndClosesAnIssueOfAUrlEncodedProjectOnASelfHostedInstance() {
        IssueRef issue = forge.open(PROJECT, "Slipway: main of " + PROJECT + " is failing", "body");
        forge.comment(PROJECT, issue, "Failed again.");
        forge.close(PROJECT, issue);

        assertThat(issue).isEqualTo(new IssueRef("14", "http://gitlab.example.com/my-group/sub.group/my-project/-/issues/14"));
        assertThat(gitlab.issue(PROJECT, "14").get("state").asText()).isEqualTo("closed");
        assertThat(gitlab.issue(PROJECT, "14").get("labels").toString()).isEqualTo("[\"slipway\",\"ci\"]");
        List<Request> requests = gitlab.requests();
        assertThat(requests).extracting(r -> r.method() + " " + r.rawPath() + " " + r.answeredWith()).containsExactly(
                "POST /api/v4/projects/my-group%2Fsub.group%2Fmy-project/issues 201",
                "POST /api/v4/projects/my-group%2Fsub.group%2Fmy-project/issues/14/notes 201",
                "PUT /api/v4/projects/my-group%2Fsub.group%2Fmy-project/issues/14 200");
        assertThat(requests.get(0).json().get("labels").asText()).isEqualTo("slipway,ci");
        assertThat(requests).allSatisfy(r -> assertThat(r.header("private-token")).isEqualTo(TOKEN));
    }

    @Test
    void setsCommitStatusesWithGitLabsStateNamesForTheBranch() {
        for (State state : State.values()) {
            forge.set(failed(PROJECT, "release/2", T0), state, "BUILD failed", null);
        }

        assertThat(gitlab.requests()).allSatisfy(r -> {
            assertThat(r.rawPath()).isEqualTo("/api/v4/projects/my-group%2Fsub.group%2Fmy-project/statuses/" + SHA);
            assertThat(r.answeredWith()).isEqualTo(201);
            assertThat(r.json().get("name").asText()).isEqualTo("slipway");
            assertThat(r.json().get("ref").asText()).isEqualTo("release/2");
            assertThat(r.json().has("target_url")).isFalse();
        }).extracting(r -> r.json().get("state").asText()).containsExactly("pending", "success", "failed", "canceled", "skipped");
    }

    @Test
    void aStatusTheCommitAlreadyHasCountsAsSet() {
        forge.set(failed(PROJECT, "main", T0), State.PENDING, "Run started", null);
        forge.set(failed(PROJECT, "main", T0), State.PENDING, "Run started", null);

        assertThat(gitlab.requests()).extracting(Request::answeredWith).containsExactly(201, 400);
    }

    @Test
    void aWrongTokenIsARefusalAndA429IsWorthRetrying() {
        assertThatThrownBy(() -> forge("glpat-wrong").open(PROJECT, "t", "b"))
                .isInstanceOfSatisfying(NotificationRejected.class, e -> assertThat(e.response()).contains("401 Unauthorized"));
        gitlab.answerNext(Answer.json(429, "{\"message\":\"429 Too Many Requests\"}", "Retry-After", "3"));
        assertThatThrownBy(() -> forge.open(PROJECT, "t", "b"))
                .isInstanceOfSatisfying(ChannelUnavailable.class, e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(3)));
    }

    @Test
    void aProjectPathThatClimbsIsRefusedBeforeAnyRequest() {
        String traversal = "my-group/../victim/project";

        assertThatThrownBy(() -> forge.set(failed(traversal, "main", T0), State.FAILURE, "d", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a GitLab project path");
        assertThatThrownBy(() -> forge.open(traversal, "t", "b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(gitlab.requests()).isEmpty();
    }

    @Test
    void findsTheNewestOpenIssueOfTheBranchByTheMarkerEndingItsDescription() {
        IssueRef closed = forge.open(PROJECT, "t", "b\n" + new IssueMarker(PROJECT, "main", "e1").line());
        forge.close(PROJECT, closed);
        IssueRef open = forge.open(PROJECT, "t", "b\n" + new IssueMarker(PROJECT, "main", "e2").line());
        forge.open(PROJECT, "t", "b\n" + new IssueMarker(PROJECT, "develop", "e3").line());

        var found = forge.findOpen(PROJECT, new IssueMarker(PROJECT, "main", null));

        assertThat(found).hasValueSatisfying(issue -> {
            assertThat(issue.ref()).isEqualTo(open);
            assertThat(issue.marker().eventId()).isEqualTo("e2");
        });
        Request list = gitlab.requests().get(gitlab.requests().size() - 1);
        assertThat(list.method() + " " + list.rawPath()).isEqualTo("GET /api/v4/projects/my-group%2Fsub.group%2Fmy-project/issues");
        assertThat(list.query()).containsExactly(Map.entry("state", "opened"), Map.entry("order_by", "created_at"),
                Map.entry("sort", "desc"), Map.entry("scope", "created_by_me"), Map.entry("labels", "slipway,ci"),
                Map.entry("per_page", "100"),
                Map.entry("page", "1"));
        assertThat(forge.findOpen(PROJECT, new IssueMarker(PROJECT, "feature", null))).isEmpty();
    }

    @Test
    void adoptsOnlyIssuesItsOwnAccountOpenedAndAsksForThatAccountOnce() {
        String marked = "b\n" + new IssueMarker(PROJECT, "main", "e1").line();
        gitlab.plantIssue(PROJECT, "mallory", marked, List.of("slipway", "ci"));

        assertThat(forge.findOpen(PROJECT, new IssueMarker(PROJECT, "main", null))).isEmpty();

        IssueRef own = forge.open(PROJECT, "t", marked);
        gitlab.plantIssue(PROJECT, "mallory", marked, List.of("slipway", "ci"));
        assertThat(forge.findOpen(PROJECT, new IssueMarker(PROJECT, "main", null))).map(found -> found.ref())
                .contains(own);
        assertThat(gitlab.requests(r -> r.rawPath().equals("/api/v4/user"))).singleElement()
                .satisfies(r -> assertThat(r.header("private-token")).isEqualTo(TOKEN));
    }

    @Test
    void anIssueListedAsItsOwnButAuthoredBySomeoneElseIsNotAdopted() {
        var issue = io.slipway.notifier.fakes.Fixtures.object("gitlab/rest/create-issue.response.json")
                .put("description", "b\n" + new IssueMarker(PROJECT, "main", "e1").line());
        ((com.fasterxml.jackson.databind.node.ObjectNode) issue.get("author")).put("username", "mallory");
        gitlab.answerNext(Answer.json(200, "[" + issue + "]"));

        assertThat(forge.findOpen(PROJECT, new IssueMarker(PROJECT, "main", null))).isEmpty();
    }

    private static ChangeRequest mergeRequest(String iid) {
        return new ChangeRequest(Integer.parseInt(iid), ChangeRequest.Kind.MERGE, "feature/login", "main",
                "contributor/my-project", "contributor", true, SHA,
                "http://gitlab.example.com/" + PROJECT + "/-/merge_requests/" + iid);
    }

    private static String noteOf(String iid, String eventId) {
        return "### Slipway\n\n" + new IssueMarker(PROJECT, "request:!" + iid, eventId).line() + "\n";
    }

    @Test
    void postsAndUpdatesOneNoteOnAMergeRequestAsDocumented() {
        ChangeRequest request = mergeRequest(gitlab.openMergeRequest(PROJECT));

        CommentRef note = forge.post(PROJECT, request, "fails");
        forge.update(PROJECT, request, note, "passes now");

        assertThat(note.url()).isEqualTo(request.webUrl() + "#note_" + note.id());
        assertThat(gitlab.notesOn(PROJECT, Integer.toString(request.number())))
                .singleElement().satisfies(n -> assertThat(n.get("body").asText()).isEqualTo("passes now"));
        assertThat(gitlab.requests()).extracting(r -> r.method() + " " + r.rawPath() + " " + r.answeredWith() + " " + r.body())
                .containsExactly(
                        "POST /api/v4/projects/my-group%2Fsub.group%2Fmy-project/merge_requests/" + request.number()
                                + "/notes 201 {\"body\":\"fails\"}",
                        "PUT /api/v4/projects/my-group%2Fsub.group%2Fmy-project/merge_requests/" + request.number()
                                + "/notes/" + note.id() + " 200 {\"body\":\"passes now\"}");
    }

    @Test
    void findsItsOwnNoteByTheMarkerNewestFirstAndNeverAStrangersOne() {
        String iid = gitlab.openMergeRequest(PROJECT);
        ChangeRequest request = mergeRequest(iid);
        gitlab.plantNote(PROJECT, iid, "mallory", noteOf(iid, "e0"));
        assertThat(forge.findOwn(PROJECT, request, new IssueMarker(PROJECT, "request:!" + iid, null))).isEmpty();

        CommentRef own = forge.post(PROJECT, request, noteOf(iid, "e1"));
        gitlab.plantNote(PROJECT, iid, "mallory", noteOf(iid, "e2"));
        forge.post(PROJECT, request, "a note of the notifier without marker");

        assertThat(forge.findOwn(PROJECT, request, new IssueMarker(PROJECT, "request:!" + iid, "e9")))
                .hasValueSatisfying(found -> {
                    assertThat(found.ref()).isEqualTo(own);
                    assertThat(found.marker().eventId()).isEqualTo("e1");
                });
        assertThat(forge.findOwn(PROJECT, request, new IssueMarker(PROJECT, "request:!999", null))).isEmpty();
        Request list = gitlab.requests(r -> r.method().equals("GET") && r.rawPath().endsWith("/notes")).get(0);
        assertThat(list.query()).containsExactly(Map.entry("sort", "desc"), Map.entry("order_by", "created_at"),
                Map.entry("per_page", "100"), Map.entry("page", "1"));
    }

    @Test
    void aNoteOfAnUnknownMergeRequestIsARefusal() {
        assertThatThrownBy(() -> forge.update(PROJECT, mergeRequest("77"), new CommentRef("301", null), "x"))
                .isInstanceOfSatisfying(NotificationRejected.class, e -> assertThat(e.isGone()).isTrue());
    }

    @Test
    void recordsDeploymentsWithTheDocumentedAttributesAndTheirResult() {
        Notification staging = deployed(PROJECT, "staging", T0);
        Notification failure = deployFailed(PROJECT, "production", T0);

        assertThat(forge.create(staging, Result.SUCCESS, "Deployed to staging")).isEmpty();
        assertThat(forge.create(failure, Result.FAILURE, "Deploying to production failed")).isEmpty();

        assertThat(gitlab.requests()).allSatisfy(r -> {
            assertThat(r.method() + " " + r.rawPath()).isEqualTo("POST /api/v4/projects/my-group%2Fsub.group%2Fmy-project/deployments");
            assertThat(r.answeredWith()).isEqualTo(201);
        });
        assertThat(gitlab.deploymentsOf(PROJECT)).extracting(d -> d.get("environment").get("name").asText() + " "
                + d.get("sha").asText() + " " + d.get("ref").asText() + " " + d.get("tag").asBoolean() + " "
                + d.get("status").asText())
                .containsExactly("staging " + SHA + " main false success", "production " + SHA + " main false failed");
    }

    @Test
    void aDeploymentOfATagNamesTheTag() {
        Notification n = deployed(PROJECT, "production", T0);
        Notification tagged = new Notification(n.eventId(), n.kind(), n.runId(), 1, n.repository(), n.repositoryUrl(),
                "refs/tags/v1.2.0", n.sha(), n.commitTitle(), n.author(), n.stage(), null, null, null, n.artifact(),
                T0, T0, null, n.deployment());

        forge.create(tagged, Result.SUCCESS, "Deployed to production");

        assertThat(gitlab.requests().get(0).json().toString())
                .contains("\"ref\":\"v1.2.0\"", "\"tag\":true", "\"environment\":\"production\"");
    }
}

package io.slipway.notifier.adapter;

import io.slipway.notifier.adapter.github.GitHubForge;
import io.slipway.notifier.adapter.http.JsonHttp;
import io.slipway.notifier.domain.ChannelUnavailable;
import io.slipway.notifier.domain.CommitStatuses.State;
import io.slipway.notifier.domain.IssueTracker.IssueRef;
import io.slipway.notifier.domain.NotificationRejected;
import io.slipway.notifier.fakes.FakeApi.Answer;
import io.slipway.notifier.fakes.FakeApi.Request;
import io.slipway.notifier.fakes.FakeGitHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

import static io.slipway.notifier.Samples.REPOSITORY;
import static io.slipway.notifier.Samples.SHA;
import static io.slipway.notifier.Samples.T0;
import static io.slipway.notifier.Samples.failed;
import static io.slipway.notifier.adapter.SlackWebhookTest.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GitHubForgeTest {

    private static final String TOKEN = "ghp_notifierTestToken0123456789abcdefghij";

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
        }).extracting(r -> r.json().get("state").asText()).containsExactly("pending", "success", "failure", "error");
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
}

package io.slipway.notifier.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.notifier.adapter.http.JsonHttp;
import io.slipway.notifier.adapter.slack.BlockKitMessage;
import io.slipway.notifier.adapter.slack.SlackWebhook;
import io.slipway.notifier.Samples;
import io.slipway.notifier.domain.ChangeRequest;
import io.slipway.notifier.domain.ChannelUnavailable;
import io.slipway.notifier.domain.EventKind;
import io.slipway.notifier.domain.Notification;
import io.slipway.notifier.domain.NotificationRejected;
import io.slipway.notifier.domain.NotificationTexts;
import io.slipway.notifier.fakes.FakeApi.Answer;
import io.slipway.notifier.fakes.FakeSlack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static io.slipway.notifier.Samples.REPOSITORY;
import static io.slipway.notifier.Samples.T0;
import static io.slipway.notifier.Samples.failed;
import static io.slipway.notifier.Samples.published;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlackWebhookTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-14T10:00:00Z"), ZoneOffset.UTC);

    private final FakeSlack slack = new FakeSlack();
    private final NotificationTexts texts = new NotificationTexts("https://ci.example.com/runs/{runId}",
            "https://{registry}/v2/{repository}/manifests/{digest}", 4000, List.of(slack.webhookUrl().toString()));

    private SlackWebhook webhook(Duration timeout) {
        return new SlackWebhook("ops", slack.webhookUrl(), new JsonHttp(HttpClient.newHttpClient(), timeout, CLOCK,
                List.of(slack.webhookUrl().toString())), new BlockKitMessage(texts));
    }

    private final SlackWebhook webhook = webhook(Duration.ofSeconds(5));

    @AfterEach
    void stop() {
        assertThat(slack.violations()).isEmpty();
        slack.close();
    }

    private static String allText(JsonNode message) {
        return message.toString();
    }

    @Test
    void postsABlockKitMessageWithRepositoryBranchCommitAuthorStageReasonAndExcerpt() {
        Notification failure = failed(REPOSITORY, "main", T0);

        webhook.announce(failure);

        JsonNode message = slack.messages().get(0);
        assertThat(message.get("text").asText()).isEqualTo("Failed at BUILD (BUILD_ERROR): octo-org/hello-service main @ 6dcb09b");
        assertThat(message.get("blocks").get(0).get("type").asText()).isEqualTo("header");
        assertThat(allText(message)).contains("<https://github.com/octo-org/hello-service|octo-org/hello-service>",
                "*Branch*\\n`main`", "<https://github.com/octo-org/hello-service/commit/" + failure.sha() + "|`6dcb09b`>",
                "*Author*\\nMona Lisa Octocat", "*Stage*\\nBUILD", "*Reason*\\n`BUILD_ERROR`",
                "```step 4/7 : RUN make\\nmake: *** [Makefile:12: all] Error 2```",
                "<https://ci.example.com/runs/" + failure.runId() + "|" + failure.runId() + ">");
    }

    @Test
    void aRequestsMessageNamesTheRequestItsBranchesItsAuthorAndTheFork() {
        ChangeRequest fork = Samples.pullRequest(REPOSITORY, true);
        ChangeRequest merge = new ChangeRequest(7, ChangeRequest.Kind.MERGE, "fix/<b>", "main", REPOSITORY, "dev", false,
                fork.headSha(), null);

        webhook.announce(Samples.ofRequest(EventKind.FAILED, REPOSITORY, fork, "BUILD_ERROR", T0));
        webhook.announce(Samples.ofRequest(EventKind.PASSED, REPOSITORY, merge, null, T0));

        JsonNode failed = slack.messages().get(0);
        assertThat(failed.get("text").asText()).isEqualTo("Failed at BUILD (BUILD_ERROR): octo-org/hello-service #12 @ 6dcb09b");
        assertThat(allText(failed)).contains(":x: octo-org/hello-service #12 failed at BUILD",
                "*Pull request*\\n<https://github.com/octo-org/hello-service/pull/12|#12> `feature/login` → `main`"
                        + "\\nfrom a fork: `mallory/hello-service`", "*Author*\\nmonalisa");
        JsonNode passed = slack.messages().get(1);
        assertThat(passed.get("text").asText()).isEqualTo("Passed: octo-org/hello-service !7 @ 6dcb09b");
        assertThat(allText(passed)).contains("*Merge request*\\n!7 `fix/&lt;b&gt;` → `main`", "*Author*\\ndev")
                .doesNotContain("from a fork");
    }

    @Test
    void aPublicationLinksTheArtifactAndListsItsTags() {
        webhook.announce(published(REPOSITORY, "main", T0));

        assertThat(allText(slack.messages().get(0))).contains(":white_check_mark:",
                "<https://registry.example.com/v2/release/hello-service/manifests/sha256:b5b2b2c5",
                "|`registry.example.com/release/hello-service@sha256:b5b2b2c5", "Tags: `6dcb09b5", "`latest`");
    }

    @Test
    void aDeploymentNamesTheEnvironmentItsUrlAndTheShortSha() {
        webhook.announce(Samples.deployed(REPOSITORY, "staging", T0));

        JsonNode message = slack.messages().get(0);
        assertThat(message.get("text").asText()).isEqualTo("Deployed to staging: octo-org/hello-service main @ 6dcb09b");
        assertThat(allText(message)).contains(":rocket: octo-org/hello-service main deployed to staging",
                "*Environment*\\n`staging`", "*URL*\\n<" + Samples.URL + "|" + Samples.URL + ">", "|`6dcb09b`>",
                "registry.example.com/release/hello-service@sha256:b5b2b2c5");
    }

    @Test
    void aRollbackNamesTheRestoredShaWhyAndTheRunItTookOut() {
        webhook.announce(Samples.rolledBack(REPOSITORY, "staging", T0));

        assertThat(allText(slack.messages().get(0))).contains(":rewind: octo-org/hello-service main rolled back in staging",
                "*Restored*\\n`6dcb09b`", "*Rolled back*\\n(SMOKE_FAILED; took out run r-taken-out)");
    }

    @Test
    void aFailedDeploymentSaysWhyAndThatTheEnvironmentKeepsItsPreviousVersion() {
        webhook.announce(Samples.deployFailed(REPOSITORY, "production", T0));

        JsonNode message = slack.messages().get(0);
        assertThat(message.get("text").asText())
                .isEqualTo("Failed to deploy to production (SMOKE_FAILED): octo-org/hello-service main @ 6dcb09b");
        assertThat(allText(message)).contains(":x: octo-org/hello-service main failed to deploy to production",
                "*Reason*\\n`SMOKE_FAILED`", "GET / answered 500, expected 200; rolled back",
                "*Still running*\\nproduction keeps its previous version");
    }

    @Test
    void escapesMarkupAndStaysWithinSlacksLimitsWhateverTheRunSays() {
        Notification hostile = new Notification("e", EventKind.FAILED, "r", 1, REPOSITORY, null, "refs/heads/<!channel>",
                "abc", "<!here> & " + "t".repeat(5000), "a".repeat(3000), "TEST", "SUITE_FAILED",
                "m".repeat(4000), "log line\n".repeat(20_000), null, T0, T0);

        webhook.announce(hostile);

        assertThat(allText(slack.messages().get(0))).contains("`&lt;!channel&gt;`", "&lt;!here&gt; &amp; ")
                .doesNotContain("<!here>", "<!channel>");
    }

    @Test
    void serverErrorsAndRateLimitsAreWorthRetryingWithTheirRetryAfter() {
        slack.answerNext(Answer.text(500, "rollup_error"),
                new Answer(500, java.util.Map.of("Content-Type", "text/html"), "<html><title>Server Error | Slack</title></html>"),
                Answer.text(429, "rate_limited", "Retry-After", "7"),
                Answer.text(503, "", "Retry-After", "Fri, 14 Mar 2025 10:01:30 GMT"));

        assertThatThrownBy(() -> webhook.announce(failed(REPOSITORY, "main", T0))).isInstanceOf(ChannelUnavailable.class)
                .hasMessageContaining("rollup_error");
        assertThatThrownBy(() -> webhook.announce(failed(REPOSITORY, "main", T0))).isInstanceOf(ChannelUnavailable.class)
                .hasMessageContaining("Server Error");
        assertThatThrownBy(() -> webhook.announce(failed(REPOSITORY, "main", T0)))
                .isInstanceOfSatisfying(ChannelUnavailable.class, e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(7)));
        assertThatThrownBy(() -> webhook.announce(failed(REPOSITORY, "main", T0)))
                .isInstanceOfSatisfying(ChannelUnavailable.class, e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(90)));
    }

    @Test
    void aRefusalCarriesTheResponseButNeverTheWebhookUrl() {
        slack.answerNext(Answer.text(404, "channel_not_found"), Answer.text(410, "channel_is_archived"));

        assertThatThrownBy(() -> webhook.announce(failed(REPOSITORY, "main", T0)))
                .isInstanceOfSatisfying(NotificationRejected.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.response()).isEqualTo("channel_not_found");
                    assertThat(e.getMessage()).startsWith("slack:ops").doesNotContain(FakeSlack.PATH);
                });
        assertThatThrownBy(() -> webhook.announce(failed(REPOSITORY, "main", T0)))
                .isInstanceOfSatisfying(NotificationRejected.class, e -> assertThat(e.isGone()).isTrue());
    }

    @Test
    void aHangingOrUnreachableSlackIsWorthRetrying() {
        CountDownLatch release = new CountDownLatch(1);
        slack.stallUntil(release);
        try {
            assertThatThrownBy(() -> webhook(Duration.ofMillis(300)).announce(failed(REPOSITORY, "main", T0)))
                    .isInstanceOf(ChannelUnavailable.class).hasMessageContaining("timed out");
        } finally {
            release.countDown();
        }
        SlackWebhook nowhere = new SlackWebhook("gone", URI.create("http://127.0.0.1:1/services/x"),
                new JsonHttp(HttpClient.newHttpClient(), Duration.ofSeconds(2), CLOCK, List.of()), new BlockKitMessage(texts));
        assertThatThrownBy(() -> nowhere.announce(failed(REPOSITORY, "main", T0))).isInstanceOf(ChannelUnavailable.class);
    }
}

package io.slipway.notifier.domain;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.slipway.notifier.Samples.REPOSITORY;
import static io.slipway.notifier.Samples.T0;
import static io.slipway.notifier.Samples.failed;
import static org.assertj.core.api.Assertions.assertThat;

class NotificationTextsTest {

    private final NotificationTexts texts = new NotificationTexts("https://ci.example.com/runs/{runId}",
            "https://{registry}/v2/{repository}/manifests/{digest}", 60, List.of("tok-123456"));

    @Test
    void anIssueHasOneTitlePerRepositoryAndBranchAndABodyWithStageReasonCommitAndExcerpt() {
        Notification n = failed(REPOSITORY, "release/1.2", T0);

        assertThat(texts.issueTitle(n)).isEqualTo(texts.issueTitle(failed(REPOSITORY, "release/1.2", T0.plusSeconds(9))))
                .isEqualTo("Slipway: release/1.2 of octo-org/hello-service is failing");
        assertThat(texts.issueBody(n)).contains("| Stage | BUILD |", "| Reason | `BUILD_ERROR` |",
                "[`6dcb09b`](https://github.com/octo-org/hello-service/commit/6dcb09b5b57875f334f61aebed695e2e4193db5e)",
                "| Author | Mona Lisa Octocat |", "[" + n.runId() + "](https://ci.example.com/runs/" + n.runId() + ")",
                "> The Dockerfile step RUN make failed", "```text\n", "make: *** [Makefile:12: all] Error 2");
    }

    @Test
    void textsFromARunAreMaskedAndBounded() {
        Notification leaky = new Notification("e", EventKind.FAILED, "r", 1, REPOSITORY, null, "refs/heads/main", "abc",
                "title | with pipe", "tok-123456", "TEST", "SUITE_FAILED", "token=tok-123456 leaked", "x".repeat(500),
                null, T0, T0);

        assertThat(texts.issueBody(leaky)).doesNotContain("tok-123456").contains("title \\| with pipe", "token=****");
        assertThat(texts.excerpt(leaky, 1000)).hasValueSatisfying(e -> assertThat(e).hasSizeLessThanOrEqualTo(60));
        assertThat(texts.statusDescription(leaky)).isEqualTo("TEST failed: SUITE_FAILED - token=**** leaked");
    }
}

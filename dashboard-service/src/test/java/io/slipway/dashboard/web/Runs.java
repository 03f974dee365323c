package io.slipway.dashboard.web;

import io.slipway.dashboard.domain.Deployment;
import io.slipway.dashboard.domain.EnvironmentView;
import io.slipway.dashboard.domain.RunDetail;
import io.slipway.dashboard.domain.RunStatus;
import io.slipway.dashboard.domain.RunSummary;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Records for the pages' tests: runs, a failed test report, deployments and environment states. */
final class Runs {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String DIGEST = "sha256:" + "a".repeat(64);
    static final String OLD_DIGEST = "sha256:" + "b".repeat(64);

    private Runs() {
    }

    static RunSummary summary(String runId, int attempt, String repository, String title, String stage,
                              RunStatus status, Instant triggeredAt) {
        return new RunSummary(runId, attempt, repository, "main", "refs/heads/main",
                "6dcb09b5b57875f334f61aebed695e2e4193db5e", title, "Alice", null, null, triggeredAt, stage, status,
                status == RunStatus.FAILED ? "TESTS_FAILED" : null, triggeredAt.plusSeconds(30),
                status == RunStatus.RUNNING ? null : triggeredAt.plusSeconds(95));
    }

    static RunDetail detail(RunSummary summary, String message) {
        return new RunDetail(summary, message, summary.triggeredAt().minusSeconds(60),
                "https://github.com/" + summary.repository() + "/commit/" + summary.sha(), null,
                List.of(new RunDetail.TimelineEntry("e1", "CommitReceived", "TRIGGER", summary.triggeredAt(), null,
                                "push to main", "{\"runId\":\"" + summary.runId() + "\"}"),
                        new RunDetail.TimelineEntry("e2", "ImageBuilt", "BUILD", summary.triggeredAt().plusSeconds(65),
                                null, "image built", "{\"digest\":\"" + DIGEST + "\"}")),
                List.of(), null, List.of(), List.of(), new RunDetail.LogState(0, false));
    }

    /** A run whose tests failed: a report with a passed case listed after the failed one, and the failure. */
    static RunDetail failedTests(String runId) {
        RunSummary summary = summary(runId, 1, "octo-org/hello", "Break the greeting", "TEST", RunStatus.FAILED, T0);
        RunDetail base = detail(summary, "Break the greeting\n\nOn purpose.");
        return new RunDetail(summary, base.message(), base.commitTime(), base.commitUrl(), null, base.timeline(),
                List.of(new RunDetail.Artifact("STAGED", "CONTAINER", "127.0.0.1:5000", "octo-org/hello", DIGEST,
                        List.of("main", "6dcb09b"), Map.of("org.opencontainers.image.revision", summary.sha()))),
                new RunDetail.TestReport(false, false, List.of(
                        new RunDetail.TestCase("GreetingTest", "greetsByName", "FAILED",
                                "expected: <Hello, Bob> but was: <Hi, Bob>", 12),
                        new RunDetail.TestCase("GreetingTest", "greetsAnonymous", "PASSED", null, 3))),
                List.of(), List.of(new RunDetail.Failure("TEST", "TESTS_FAILED", "1 of 2 tests failed",
                "GreetingTest.greetsByName FAILED", false, null, T0.plusSeconds(95))),
                new RunDetail.LogState(120, false));
    }

    static Deployment deployment(String environment, String runId, String digest, Instant at) {
        return new Deployment("d-" + runId + environment, environment, "octo-org/hello", runId, 1, digest, null,
                "http://127.0.0.1:18080", false, null, null, at);
    }

    static EnvironmentView staging(String runId) {
        return new EnvironmentView("staging", "octo-org/hello",
                new EnvironmentView.Current(runId, 1, DIGEST, "http://127.0.0.1:18080", T0.plusSeconds(120)),
                null, T0.plusSeconds(120));
    }

    static EnvironmentView productionWaiting(String runId) {
        return new EnvironmentView("production", "octo-org/hello",
                new EnvironmentView.Current("old-run", 1, OLD_DIGEST, "http://127.0.0.1:18081", T0.minusSeconds(3600)),
                new EnvironmentView.Pending(runId, 1, DIGEST, "staging", T0.plusSeconds(600), true, null,
                        T0.plusSeconds(120)), T0.plusSeconds(120));
    }
}

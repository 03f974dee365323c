package io.slipway.notifier.domain;

import io.slipway.common.kafka.RetryBudget;
import io.slipway.common.testing.TestClock;
import io.slipway.notifier.Samples;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static io.slipway.notifier.Samples.REPOSITORY;
import static io.slipway.notifier.Samples.T0;
import static io.slipway.notifier.Samples.failed;
import static io.slipway.notifier.Samples.notification;
import static io.slipway.notifier.Samples.published;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotificationDispatcherTest {

    private static final ChannelId SLACK = ChannelId.parse("slack:ops");
    private static final ChannelId ISSUES = ChannelId.parse("issues:github");
    private static final ChannelId STATUS = ChannelId.parse("status:github");
    private static final ChannelId REQUESTS = ChannelId.parse("requests:github");
    private static final ChannelId DEPLOYMENTS = ChannelId.parse("deployments:github");

    /** Channel memories kept in a map, standing in for the state topic; a save can be made to fail. */
    static final class MemoryMap implements ChannelMemoryStore {
        final Map<String, ChannelMemory> memories = new HashMap<>();
        final Deque<RuntimeException> saveFailures = new ArrayDeque<>();

        @Override
        public ChannelMemory load(ChannelId channel, String repository, String branch) {
            return memories.getOrDefault(channel + "|" + repository + "|" + branch, ChannelMemory.empty());
        }

        @Override
        public void save(ChannelId channel, String repository, String branch, ChannelMemory memory) {
            if (!saveFailures.isEmpty()) {
                throw saveFailures.poll();
            }
            memories.put(channel + "|" + repository + "|" + branch, memory);
        }
    }

    /**
     * Records every call to every port and keeps the open issues with their bodies, as a forge would list them; a
     * failure queued for a call's verb is thrown by the next such call.
     */
    static final class Recorder implements ChatChannel, IssueTracker, CommitStatuses, RequestComments, ForgeDeployments {
        final List<String> calls = new ArrayList<>();
        final Map<String, Deque<RuntimeException>> failures = new HashMap<>();
        final Map<String, String> openBodies = new LinkedHashMap<>();
        final Map<String, String> comments = new LinkedHashMap<>();
        int issues = 0;

        void failNext(String verb, RuntimeException failure) {
            failures.computeIfAbsent(verb, v -> new ArrayDeque<>()).add(failure);
        }

        private <T> T call(String call, Supplier<T> result) {
            calls.add(call);
            Deque<RuntimeException> queued = failures.get(call.split(" ")[0]);
            if (queued != null && !queued.isEmpty()) {
                throw queued.poll();
            }
            return result.get();
        }

        @Override
        public void announce(Notification n) {
            call("announce " + n.kind(), () -> null);
        }

        @Override
        public IssueRef open(String repository, String title, String body) {
            return call("open " + title, () -> {
                String id = Integer.toString(++issues);
                openBodies.put(id, body);
                return new IssueRef(id, "https://github.com/" + repository + "/issues/" + id);
            });
        }

        @Override
        public Optional<FoundIssue> findOpen(String repository, IssueMarker wanted) {
            return call("find " + wanted.branch(), () -> openBodies.entrySet().stream()
                    .flatMap(e -> IssueMarker.readFrom(e.getValue()).filter(wanted::sameBranch)
                            .map(m -> new FoundIssue(new IssueRef(e.getKey(), null), m)).stream())
                    .reduce((older, newer) -> newer));
        }

        @Override
        public void comment(String repository, IssueRef issue, String body) {
            call("comment " + issue.id() + " " + body.lines().findFirst().orElse(""), () -> null);
        }

        @Override
        public void close(String repository, IssueRef issue) {
            call("close " + issue.id(), () -> openBodies.remove(issue.id()));
        }

        @Override
        public void set(Notification n, State state, String description, String targetUrl) {
            call("status " + state + " " + description, () -> null);
        }

        @Override
        public CommentRef post(String repository, ChangeRequest request, String body) {
            return call("post " + request.displayName() + " " + body.lines().findFirst().orElse(""), () -> {
                String id = "c" + (comments.size() + 1);
                comments.put(id, body);
                return new CommentRef(id, request.webUrl() + "#" + id);
            });
        }

        @Override
        public void update(String repository, ChangeRequest request, CommentRef comment, String body) {
            call("update " + comment.id() + " " + body.lines().findFirst().orElse(""), () -> comments.put(comment.id(), body));
        }

        @Override
        public Optional<String> create(Notification n, Result result, String description) {
            return call("deploy " + n.deployment().environment() + " " + result + " " + description,
                    () -> Optional.of("d" + calls.size()));
        }

        @Override
        public void status(Notification n, String id, Result result, String description, String logUrl) {
            call("deploymentStatus " + id + " " + result, () -> null);
        }

        @Override
        public Optional<FoundComment> findOwn(String repository, ChangeRequest request, IssueMarker wanted) {
            return call("findComment " + request.displayName(), () -> comments.entrySet().stream()
                    .flatMap(e -> IssueMarker.readFrom(e.getValue()).filter(wanted::sameBranch)
                            .map(m -> new FoundComment(new CommentRef(e.getKey(), null), m)).stream())
                    .findFirst());
        }
    }

    private final MemoryMap memories = new MemoryMap();
    private final Recorder remote = new Recorder();
    private final List<Duration> waits = new ArrayList<>();
    private final TestClock clock = new TestClock(T0);
    private final NotificationTexts texts = new NotificationTexts("https://ci.example.com/runs/{runId}", "https://{registry}/{repository}@{digest}", 4000, List.of());
    private final NotificationDispatcher dispatcher = new NotificationDispatcher(Map.of(SLACK, remote),
            Map.of(ISSUES, remote), Map.of(STATUS, remote), Map.of(REQUESTS, remote), Map.of(DEPLOYMENTS, remote), memories, texts,
            new Retrier.Policy(new RetryBudget(Duration.ofSeconds(40), Duration.ofSeconds(1), Duration.ofSeconds(8)),
                    Duration.ofMinutes(1), clock), 3);

    private DeliveryOutcome deliver(ChannelId channel, Notification n) {
        return dispatcher.deliver(new Delivery(channel, n), delay -> {
            waits.add(delay);
            clock.advance(delay);
        }, (attempt, delay, failure) -> { });
    }

    @Test
    void opensOneIssuePerBranchThenCommentsOnRepeatedFailuresAndClosesItWhenTheBranchPublishes() {
        assertThat(deliver(ISSUES, failed(REPOSITORY, "main", T0))).isEqualTo(new DeliveryOutcome.Sent("opened issue 1"));
        assertThat(deliver(ISSUES, failed(REPOSITORY, "main", T0.plusSeconds(60)))).isEqualTo(new DeliveryOutcome.Sent("commented on issue 1"));
        assertThat(deliver(ISSUES, failed(REPOSITORY, "develop", T0.plusSeconds(90)))).isEqualTo(new DeliveryOutcome.Sent("opened issue 2"));
        assertThat(deliver(ISSUES, published(REPOSITORY, "main", T0.plusSeconds(120)))).isEqualTo(new DeliveryOutcome.Sent("closed issue 1"));
        assertThat(deliver(ISSUES, published(REPOSITORY, "main", T0.plusSeconds(180)))).isEqualTo(new DeliveryOutcome.Sent("no issue to update"));
        assertThat(deliver(ISSUES, failed(REPOSITORY, "main", T0.plusSeconds(240)))).isEqualTo(new DeliveryOutcome.Sent("opened issue 3"));

        assertThat(remote.calls).containsExactly(
                "find main",
                "open Slipway: main of octo-org/hello-service is failing",
                "comment 1 Failed again.",
                "find develop",
                "open Slipway: develop of octo-org/hello-service is failing",
                "comment 1 **main** published again from [`6dcb09b`](https://github.com/octo-org/hello-service/commit/"
                        + "6dcb09b5b57875f334f61aebed695e2e4193db5e) as `registry.example.com/release/hello-service@"
                        + "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7` ([artifact](https://"
                        + "registry.example.com/release/hello-service@sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7)). Closing.",
                "close 1",
                "find main",
                "open Slipway: main of octo-org/hello-service is failing");
        assertThat(memories.load(ISSUES, REPOSITORY, "main").issue()).map(ChannelMemory.OpenIssue::id).contains("3");
        assertThat(memories.load(ISSUES, REPOSITORY, "develop").issue()).map(ChannelMemory.OpenIssue::id).contains("2");
        assertThat(memories.memories).containsOnlyKeys("issues:github|" + REPOSITORY + "|main",
                "issues:github|" + REPOSITORY + "|develop");
    }

    @Test
    void aPublicationOfAnOlderRunLeavesOpenTheIssueOfANewerFailure() {
        deliver(ISSUES, failed(REPOSITORY, "main", T0.plusSeconds(60)));

        assertThat(deliver(ISSUES, published(REPOSITORY, "main", T0))).isEqualTo(
                new DeliveryOutcome.Sent("issue 1 stays open: it reports a newer failure"));
        assertThat(remote.calls).hasSize(2);
    }

    @Test
    void notifiesEachEventIdOncePerChannel() {
        Notification failure = failed(REPOSITORY, "main", T0);

        assertThat(deliver(SLACK, failure)).isInstanceOf(DeliveryOutcome.Sent.class);
        assertThat(deliver(STATUS, failure)).isEqualTo(new DeliveryOutcome.Sent("status FAILURE"));
        assertThat(deliver(SLACK, failure)).isEqualTo(new DeliveryOutcome.Duplicate());
        assertThat(deliver(ISSUES, failure)).isInstanceOf(DeliveryOutcome.Sent.class);
        assertThat(deliver(ISSUES, failure)).isEqualTo(new DeliveryOutcome.Duplicate());

        assertThat(remote.calls).containsExactly("announce FAILED",
                "status FAILURE BUILD failed: BUILD_ERROR - The Dockerfile step RUN make failed with exit code 2.",
                "find main", "open Slipway: main of octo-org/hello-service is failing");
    }

    @Test
    void remembersOnlyTheLatestEventIdsWithinTheWindow() {
        List<Notification> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sent.add(failed(REPOSITORY, "main", T0.plusSeconds(i)));
            deliver(SLACK, sent.get(i));
        }

        assertThat(memories.load(SLACK, REPOSITORY, "main").notified()).containsExactly(
                sent.get(1).eventId(), sent.get(2).eventId(), sent.get(3).eventId());
    }

    @Test
    void retriesAnUnavailableChannelAndHonoursItsRetryAfter() {
        remote.failNext("announce", new ChannelUnavailable("500", null, null));
        remote.failNext("announce", new ChannelUnavailable("429", Duration.ofSeconds(30), null));

        assertThat(deliver(SLACK, failed(REPOSITORY, "main", T0))).isEqualTo(new DeliveryOutcome.Sent("posted"));
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(30));
        assertThat(remote.calls).hasSize(3);
    }

    @Test
    void aRejectedNotificationIsReportedWithTheResponseAndNotRemembered() {
        NotificationRejected rejected = new NotificationRejected("slack:ops POST", 404, "channel_not_found");
        remote.failNext("announce", rejected);
        Notification failure = failed(REPOSITORY, "main", T0);

        assertThat(deliver(SLACK, failure)).isEqualTo(new DeliveryOutcome.Rejected(rejected));
        assertThat(memories.load(SLACK, REPOSITORY, "main").hasNotified(failure.eventId())).isFalse();
    }

    @Test
    void abandonsAChannelThatStaysUnavailableThroughTheRetryBudget() {
        for (int i = 0; i < 20; i++) {
            remote.failNext("status", new ChannelUnavailable("503", null, null));
        }

        DeliveryOutcome outcome = deliver(STATUS, failed(REPOSITORY, "main", T0));

        assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Abandoned.class, a -> {
            assertThat(a.cause().attempts()).isEqualTo(9);
            assertThat(a.cause()).hasMessage("503; still failing after retrying for 40s (9 attempts)");
        });
        assertThat(waits).as("backoff, the last wait cut to what is left of the 40 s").containsExactly(
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                Duration.ofSeconds(8), Duration.ofSeconds(8), Duration.ofSeconds(8), Duration.ofSeconds(1));
    }

    @Test
    void aFailureWhoseIssueWasDeletedOpensANewIssue() {
        deliver(ISSUES, failed(REPOSITORY, "main", T0));
        remote.openBodies.remove("1");
        remote.failNext("comment", new NotificationRejected("github", 410, "{\"message\":\"Issue is deleted\"}"));

        assertThat(deliver(ISSUES, failed(REPOSITORY, "main", T0.plusSeconds(5)))).isEqualTo(new DeliveryOutcome.Sent("opened issue 2"));
    }

    @Test
    void aStepThatSucceededIsNotRepeatedWhenALaterStepIsRetried() {
        deliver(ISSUES, failed(REPOSITORY, "main", T0));
        remote.calls.clear();
        remote.failNext("close", new ChannelUnavailable("502", null, null));

        assertThat(deliver(ISSUES, published(REPOSITORY, "main", T0.plusSeconds(5)))).isEqualTo(new DeliveryOutcome.Sent("closed issue 1"));
        assertThat(remote.calls).extracting(c -> c.split(" ")[0]).containsExactly("comment", "close", "close");
    }

    @Test
    void aStartedEventReadAfterTheRunsResultDoesNotTurnTheStatusBackToPending() {
        Notification failure = failed(REPOSITORY, "main", T0);
        Notification started = new Notification("started-1", EventKind.STARTED, failure.runId(), 1, REPOSITORY, null,
                failure.ref(), failure.sha(), "", "", "TRIGGER", null, null, null, null, T0, T0);
        Notification rerun = new Notification("started-2", EventKind.STARTED, failure.runId(), 2, REPOSITORY, null,
                failure.ref(), failure.sha(), "", "", "TRIGGER", null, null, null, null, T0, T0);

        deliver(STATUS, failure);

        assertThat(deliver(STATUS, started)).isEqualTo(new DeliveryOutcome.Sent("status already final"));
        assertThat(deliver(STATUS, rerun)).isEqualTo(new DeliveryOutcome.Sent("status PENDING"));
        assertThat(remote.calls).extracting(c -> c.split(" ")[1]).containsExactly("FAILURE", "PENDING");
    }

    @Test
    void aSupersededRunSetsACancelledStatusAndLeavesIssuesAlone() {
        assertThat(deliver(STATUS, notification(EventKind.CANCELLED, REPOSITORY, "main", T0)))
                .isEqualTo(new DeliveryOutcome.Sent("status CANCELLED"));
        assertThat(deliver(ISSUES, notification(EventKind.CANCELLED, REPOSITORY, "main", T0)))
                .isEqualTo(new DeliveryOutcome.Sent("no issue to update"));
        assertThat(remote.calls).containsExactly("status CANCELLED Superseded by a newer commit");
    }

    @Test
    void aFailedSaveAfterOpeningAnIssueAdoptsThatIssueOnRedeliveryInsteadOfOpeningAnother() {
        Notification failure = failed(REPOSITORY, "main", T0);
        memories.saveFailures.add(new IllegalStateException("state topic unwritable"));

        assertThatThrownBy(() -> deliver(ISSUES, failure)).hasMessage("state topic unwritable");
        assertThat(deliver(ISSUES, failure)).isEqualTo(new DeliveryOutcome.Sent("adopted issue 1 (it was opened for this event)"));
        assertThat(deliver(ISSUES, failed(REPOSITORY, "main", T0.plusSeconds(60))))
                .isEqualTo(new DeliveryOutcome.Sent("commented on issue 1"));

        assertThat(remote.calls).containsExactly("find main", "open Slipway: main of octo-org/hello-service is failing",
                "find main", "comment 1 Failed again.");
        assertThat(memories.load(ISSUES, REPOSITORY, "main").hasNotified(failure.eventId())).isTrue();
    }

    @Test
    void aFailureOfABranchWhoseIssueIsOnTheForgeButNotRememberedCommentsOnIt() {
        deliver(ISSUES, failed(REPOSITORY, "main", T0));
        deliver(ISSUES, failed(REPOSITORY, "develop", T0));
        memories.memories.clear();
        remote.calls.clear();

        assertThat(deliver(ISSUES, failed(REPOSITORY, "main", T0.plusSeconds(60))))
                .isEqualTo(new DeliveryOutcome.Sent("commented on issue 1 (found on the forge)"));
        assertThat(deliver(ISSUES, published(REPOSITORY, "main", T0.plusSeconds(120))))
                .isEqualTo(new DeliveryOutcome.Sent("closed issue 1"));

        assertThat(remote.calls).extracting(c -> c.split(" ")[0] + " " + c.split(" ")[1])
                .containsExactly("find main", "comment 1", "comment 1", "close 1");
    }

    private static final ChangeRequest PR = Samples.pullRequest(REPOSITORY, false);

    private Notification ofPr(EventKind kind, long seconds) {
        return Samples.ofRequest(kind, REPOSITORY, PR, kind == EventKind.FAILED ? "BUILD_ERROR" : null,
                T0.plusSeconds(seconds));
    }

    @Test
    void aFailingRequestGetsOneCommentUpdatedOnTheNextFailureAndWhenItPasses() {
        assertThat(deliver(REQUESTS, ofPr(EventKind.FAILED, 0))).isEqualTo(new DeliveryOutcome.Sent("posted comment c1"));
        assertThat(deliver(REQUESTS, ofPr(EventKind.FAILED, 60))).isEqualTo(new DeliveryOutcome.Sent("updated comment c1"));
        assertThat(deliver(REQUESTS, ofPr(EventKind.PASSED, 120))).isEqualTo(new DeliveryOutcome.Sent("updated comment c1"));
        assertThat(deliver(REQUESTS, ofPr(EventKind.FAILED, 180))).isEqualTo(new DeliveryOutcome.Sent("updated comment c1"));

        assertThat(remote.calls).containsExactly(
                "findComment #12", "post #12 ### :x: Slipway: #12 fails at BUILD",
                "update c1 ### :x: Slipway: #12 fails at BUILD",
                "update c1 ### :white_check_mark: Slipway: #12 passes now",
                "update c1 ### :x: Slipway: #12 fails at BUILD");
        assertThat(remote.comments).hasSize(1);
        assertThat(remote.comments.get("c1")).contains("| Head | [`6dcb09b`]", "BUILD_ERROR", "RUN make", "| Author | monalisa |")
                .endsWith(" -->\n");
        assertThat(IssueMarker.readFrom(remote.comments.get("c1"))).map(IssueMarker::branch).contains("request:#12");
    }

    @Test
    void aForksRequestIsToldTheSameWayInItsTargetRepository() {
        ChangeRequest fork = Samples.pullRequest(REPOSITORY, true);

        assertThat(deliver(REQUESTS, Samples.ofRequest(EventKind.FAILED, REPOSITORY, fork, "BUILD_ERROR", T0)))
                .isEqualTo(new DeliveryOutcome.Sent("posted comment c1"));
        assertThat(deliver(STATUS, Samples.ofRequest(EventKind.FAILED, REPOSITORY, fork, "BUILD_ERROR", T0)))
                .isEqualTo(new DeliveryOutcome.Sent("status FAILURE"));
        assertThat(memories.load(REQUESTS, REPOSITORY, "request:#12").issue()).isPresent();
    }

    @Test
    void aRequestThatPassesWithoutEverFailingGetsNoCommentAndIsLookedUpOnce() {
        assertThat(deliver(REQUESTS, ofPr(EventKind.PASSED, 0))).isEqualTo(new DeliveryOutcome.Sent("no comment to update"));
        assertThat(deliver(REQUESTS, ofPr(EventKind.PASSED, 60))).isEqualTo(new DeliveryOutcome.Sent("no comment to update"));

        assertThat(remote.calls).containsExactly("findComment #12");
    }

    @Test
    void aLostMemoryFindsTheCommentByItsMarkerAndUpdatesIt() {
        deliver(REQUESTS, ofPr(EventKind.FAILED, 0));
        memories.memories.clear();
        remote.calls.clear();

        assertThat(deliver(REQUESTS, ofPr(EventKind.FAILED, 60)))
                .isEqualTo(new DeliveryOutcome.Sent("updated comment c1 (found on the forge)"));
        memories.memories.clear();
        assertThat(deliver(REQUESTS, ofPr(EventKind.PASSED, 120)))
                .isEqualTo(new DeliveryOutcome.Sent("updated comment c1 (found on the forge)"));

        assertThat(remote.calls).containsExactly("findComment #12", "update c1 ### :x: Slipway: #12 fails at BUILD",
                "findComment #12", "update c1 ### :white_check_mark: Slipway: #12 passes now");
        assertThat(remote.comments).hasSize(1);
    }

    @Test
    void aFailedSaveAfterPostingTheCommentDoesNotPostASecondOne() {
        Notification failure = ofPr(EventKind.FAILED, 0);
        memories.saveFailures.add(new IllegalStateException("state topic unwritable"));

        assertThatThrownBy(() -> deliver(REQUESTS, failure)).hasMessage("state topic unwritable");
        assertThat(deliver(REQUESTS, failure))
                .isEqualTo(new DeliveryOutcome.Sent("comment c1 already reports this event"));

        assertThat(remote.comments).hasSize(1);
    }

    @Test
    void aDeletedCommentIsPostedAgain() {
        deliver(REQUESTS, ofPr(EventKind.FAILED, 0));
        remote.comments.clear();
        remote.failNext("update", new NotificationRejected("github:github PATCH", 404, "{\"message\":\"Not Found\"}"));

        assertThat(deliver(REQUESTS, ofPr(EventKind.FAILED, 60))).isEqualTo(new DeliveryOutcome.Sent("posted comment c1"));
    }

    @Test
    void anOlderRunFinishingLateLeavesTheCommentOfANewerOneAlone() {
        deliver(REQUESTS, ofPr(EventKind.PASSED, 0));
        deliver(REQUESTS, ofPr(EventKind.FAILED, 120));

        assertThat(deliver(REQUESTS, ofPr(EventKind.PASSED, 60)))
                .isEqualTo(new DeliveryOutcome.Sent("comment c1 stays: it reports a newer run"));
        assertThat(remote.comments.get("c1")).contains("fails at BUILD");
    }

    @Test
    void aRequestsStatusGoesToItsHeadAndRunsThatEndWithoutFailingAreNotFailures() {
        Notification superseded = Samples.ofRequest(EventKind.CANCELLED, REPOSITORY, PR, "SUPERSEDED", T0);
        Notification closed = Samples.ofRequest(EventKind.CANCELLED, REPOSITORY, PR, "CANCELLED", T0.plusSeconds(1));
        Notification ignored = Samples.ofRequest(EventKind.IGNORED, REPOSITORY, PR, "IGNORED", T0.plusSeconds(2));
        Notification passed = ofPr(EventKind.PASSED, 3);

        for (Notification n : List.of(superseded, closed, ignored, passed)) {
            deliver(STATUS, n);
        }

        assertThat(remote.calls).containsExactly(
                "status CANCELLED Superseded by a newer commit",
                "status CANCELLED Cancelled: the request was closed",
                "status SKIPPED Skipped: no changed path matches the path filters",
                "status SUCCESS Built and tested");
    }

    @Test
    void recordsADeploymentThenItsResultAndARedeliveredOneNotAgain() {
        Notification staging = Samples.deployed(REPOSITORY, "staging", T0);

        assertThat(deliver(DEPLOYMENTS, staging)).isEqualTo(new DeliveryOutcome.Sent("deployment d1 SUCCESS in staging"));
        assertThat(deliver(DEPLOYMENTS, staging)).isEqualTo(new DeliveryOutcome.Duplicate());
        assertThat(deliver(DEPLOYMENTS, Samples.deployFailed(REPOSITORY, "production", T0)))
                .isEqualTo(new DeliveryOutcome.Sent("deployment d3 FAILURE in production"));

        assertThat(remote.calls).containsExactly("deploy staging SUCCESS Deployed to staging", "deploymentStatus d1 SUCCESS",
                "deploy production FAILURE Deploying to production failed: SMOKE_FAILED; production keeps its previous version",
                "deploymentStatus d3 FAILURE");
    }

    @Test
    void aDeploymentsStatusThatFailsIsRetriedWithoutCreatingTheDeploymentAgain() {
        remote.failNext("deploymentStatus", new ChannelUnavailable("github answered HTTP 502", null, null));

        assertThat(deliver(DEPLOYMENTS, Samples.deployed(REPOSITORY, "staging", T0))).isInstanceOf(DeliveryOutcome.Sent.class);

        assertThat(remote.calls).containsExactly("deploy staging SUCCESS Deployed to staging", "deploymentStatus d1 SUCCESS",
                "deploymentStatus d1 SUCCESS");
        assertThat(waits).hasSize(1);
    }

    @Test
    void theCommitStatusOfADeploymentOrRollbackIsASuccessAndAFailedDeploymentAFailure() {
        assertThat(deliver(STATUS, Samples.deployed(REPOSITORY, "staging", T0))).isEqualTo(new DeliveryOutcome.Sent("status SUCCESS"));
        assertThat(deliver(STATUS, Samples.rolledBack(REPOSITORY, "staging", T0))).isEqualTo(new DeliveryOutcome.Sent("status SUCCESS"));
        assertThat(deliver(STATUS, Samples.deployFailed(REPOSITORY, "staging", T0))).isEqualTo(new DeliveryOutcome.Sent("status FAILURE"));

        assertThat(remote.calls).containsExactly("status SUCCESS Deployed to staging",
                "status SUCCESS Restored in staging (SMOKE_FAILED; took out run r-taken-out)",
                "status FAILURE Deploying to staging failed: SMOKE_FAILED; staging keeps its previous version");
    }
}

package io.slipway.trigger.domain;

import io.slipway.common.policy.CloneUrlPolicy;
import io.slipway.common.testing.TestClock;
import io.slipway.schemas.RunIds;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.slipway.trigger.domain.RequestAdmissionTest.HEAD;
import static io.slipway.trigger.domain.RequestAdmissionTest.event;
import static org.assertj.core.api.Assertions.assertThat;

class RequestServiceTest {

    record Submitted(Push push, String runId, boolean newAttempt, Instant at) {
    }

    record Emitted(String runId, int attempt, String sha, String source, long sequence) {
    }

    private final List<Submitted> submitted = new ArrayList<>();
    private final List<Emitted> emitted = new ArrayList<>();
    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T12:00:00Z"));
    private final RunLedger ledger = new RunLedger(RunLedger.Limits.DEFAULT, clock);
    private final CloneUrlPolicy cloneUrls = new CloneUrlPolicy(CloneUrlPolicy.Settings.defaults());
    private final MemoryRequestBook book = new MemoryRequestBook();
    private final TriggerService trigger = new TriggerService(new PushAdmission(cloneUrls), ledger,
            (push, runId, newAttempt) -> {
                submitted.add(new Submitted(push, runId, newAttempt, clock.instant()));
                return CompletableFuture.completedFuture(null);
            },
            (push, runId, attempt, at, sequence) -> emitted.add(new Emitted(runId, attempt, push.sha(), push.source(),
                    sequence)),
            book, clock);
    private final RequestService requests = new RequestService(new RequestAdmission(cloneUrls), trigger, ledger, book,
            clock);
    private final WatchedRepository repository = RequestAdmissionTest.repository(RequestSettings.DEFAULTS);
    private final String runId = RunIds.runId("org/app", HEAD, "refs/pull/12/head");

    /** What the partition owner does with everything submitted so far. */
    private void drainIntake() {
        List<Submitted> batch = new ArrayList<>(submitted);
        submitted.clear();
        batch.forEach(s -> trigger.start(s.push(), s.runId(), s.at(), s.newAttempt()));
    }

    /** A partition owner that emits runs into {@code emitted} but cannot write a request's state. */
    private TriggerService ownerWhoseStateWritesFail() {
        RequestBook failing = new RequestBook() {
            @Override
            public java.util.Optional<RequestStatus> get(String repository, int number) {
                return book.get(repository, number);
            }

            @Override
            public void put(RequestStatus status) {
                throw new IllegalStateException("Kafka is down");
            }
        };
        return new TriggerService(new PushAdmission(cloneUrls), ledger, (p, r, n) -> CompletableFuture.completedFuture(null),
                (push, id, attempt, at, sequence) -> emitted.add(new Emitted(id, attempt, push.sha(), push.source(),
                        sequence)), failing, clock);
    }

    /** The request opened, and the run of its first head emitted. */
    private void openedAndRun() {
        requests.receive(event(RequestEvent.Action.OPENED, false), repository).join();
        drainIntake();
    }

    private RequestStatus state() {
        return book.get("org/app", 12).orElseThrow();
    }

    private static RequestEvent withHead(RequestEvent event, String head, String delivery) {
        return new RequestEvent(event.source(), delivery, event.action(), event.repository(), event.cloneUrl(),
                event.webUrl(), event.number(), event.kind(), event.sourceBranch(), event.targetBranch(),
                event.sourceRepository(), event.fromFork(), head, event.author(), event.message(), event.requestUrl(),
                event.labels(), event.timestamp());
    }

    @Test
    void anOpenedRequestStartsOneRunAndBecomesTheRequestsOpenStateAtThatRunsSequence() {
        Outcome opened = requests.receive(event(RequestEvent.Action.OPENED, false), repository).join();
        drainIntake();
        Outcome redelivered = requests.receive(event(RequestEvent.Action.OPENED, false), repository).join();

        assertThat(opened).isEqualTo(new Outcome.Accepted(runId));
        assertThat(redelivered).isInstanceOf(Outcome.Duplicate.class);
        assertThat(emitted).singleElement().satisfies(run -> {
            assertThat(run.runId()).isEqualTo(runId);
            assertThat(state().sequence()).isEqualTo(run.sequence());
        });
        assertThat(state().open()).isTrue();
        assertThat(state().headSha()).isEqualTo(HEAD);
    }

    @Test
    void aNewHeadMovesTheStateAndACloseEndsIt() {
        requests.receive(event(RequestEvent.Action.OPENED, false), repository).join();
        drainIntake();
        String second = "b".repeat(40);
        requests.receive(withHead(event(RequestEvent.Action.UPDATED, false), second, "d-2"), repository).join();
        drainIntake();
        long secondSequence = emitted.get(1).sequence();

        Outcome closed = requests.receive(withHead(event(RequestEvent.Action.CLOSED, false), second, "d-3"), repository).join();

        assertThat(emitted).extracting(Emitted::sha).containsExactly(HEAD, second);
        assertThat(book.writes).extracting(RequestStatus::headSha).containsExactly(HEAD, second, second);
        assertThat(closed).isInstanceOf(Outcome.Closed.class);
        assertThat(state().open()).isFalse();
        assertThat(state().sequence()).isGreaterThanOrEqualTo(clock.millis()).isNotEqualTo(secondSequence);
    }

    @Test
    void aReopenedRequestRunsItsHeadAgainAsANewAttemptOnceForItsDelivery() {
        requests.receive(event(RequestEvent.Action.OPENED, false), repository).join();
        drainIntake();
        requests.receive(event(RequestEvent.Action.CLOSED, false), repository).join();

        Outcome reopened = requests.receive(event(RequestEvent.Action.REOPENED, false), repository).join();
        drainIntake();
        Outcome redelivered = requests.receive(event(RequestEvent.Action.REOPENED, false), repository).join();
        drainIntake();

        assertThat(reopened).isEqualTo(new Outcome.Accepted(runId));
        assertThat(redelivered).isInstanceOf(Outcome.Duplicate.class);
        assertThat(emitted).extracting(Emitted::attempt).containsExactly(1, 2);
        assertThat(state().open()).isTrue();
    }

    @Test
    void aCloseInTheMillisecondItsRunWasAcceptedStillOutranksThatRun() {
        openedAndRun();
        long runSequence = emitted.get(0).sequence();

        requests.receive(event(RequestEvent.Action.CLOSED, false), repository).join();

        // The one staleness rule calls a run stale only for a state whose sequence is above the run's.
        assertThat(runSequence).isEqualTo(clock.millis());
        assertThat(state().sequence()).isGreaterThan(runSequence);
    }

    @Test
    void aReopenedRequestsNewAttemptRanksAfterTheCloseSoTheCloseDoesNotDropIt() {
        openedAndRun();
        requests.receive(event(RequestEvent.Action.CLOSED, false), repository).join();
        long closedSequence = state().sequence();

        requests.receive(event(RequestEvent.Action.REOPENED, false), repository).join();
        drainIntake();

        // Builder and tester may read the new attempt before the reopened state: the closed state must not make it
        // stale, i.e. its sequence must not be above the attempt's.
        assertThat(emitted).extracting(Emitted::attempt).containsExactly(1, 2);
        assertThat(emitted.get(1).sequence()).isGreaterThanOrEqualTo(closedSequence);
        assertThat(state().sequence()).isEqualTo(emitted.get(1).sequence());
    }

    @Test
    void aCloseWhileTheNewHeadsRunWaitsInTheIntakeKeepsTheRequestClosedAndThatRunStale() {
        openedAndRun();
        String second = "b".repeat(40);
        requests.receive(withHead(event(RequestEvent.Action.UPDATED, false), second, "d-2"), repository).join();
        clock.advance(Duration.ofSeconds(1));
        requests.receive(withHead(event(RequestEvent.Action.CLOSED, false), second, "d-3"), repository).join();

        drainIntake();

        assertThat(emitted).extracting(Emitted::sha).containsExactly(HEAD, second);
        assertThat(state().open()).isFalse();
        assertThat(state().sequence()).isGreaterThan(emitted.get(1).sequence());
    }

    @Test
    void eventsOfAClosedRequestOtherThanItsReopeningStartNothing() {
        openedAndRun();
        requests.receive(event(RequestEvent.Action.CLOSED, false), repository).join();
        clock.advance(Duration.ofSeconds(1));

        Outcome late = requests.receive(withHead(event(RequestEvent.Action.UPDATED, false), "b".repeat(40), "d-2"),
                repository).join();
        drainIntake();

        assertThat(late).isInstanceOfSatisfying(Outcome.Ignored.class,
                ignored -> assertThat(ignored.reason()).contains("was closed"));
        assertThat(emitted).extracting(Emitted::sha).containsExactly(HEAD);
        assertThat(state().open()).isFalse();
    }

    @Test
    void aReopeningThatStartsNoRunStillLetsTheRequestsLaterHeadsRun() {
        openedAndRun();
        requests.receive(event(RequestEvent.Action.CLOSED, false), repository).join();
        RequestEvent reopened = event(RequestEvent.Action.REOPENED, false);
        Outcome skipped = requests.receive(new RequestEvent(reopened.source(), "d-2", reopened.action(),
                reopened.repository(), reopened.cloneUrl(), reopened.webUrl(), reopened.number(), reopened.kind(),
                reopened.sourceBranch(), reopened.targetBranch(), reopened.sourceRepository(), reopened.fromFork(),
                reopened.headSha(), reopened.author(), "[skip ci] work in progress", reopened.requestUrl(),
                reopened.labels(), reopened.timestamp()), repository).join();

        Outcome later = requests.receive(withHead(event(RequestEvent.Action.UPDATED, false), "b".repeat(40), "d-3"),
                repository).join();

        assertThat(skipped).isInstanceOf(Outcome.Ignored.class);
        assertThat(later).isInstanceOf(Outcome.Accepted.class);
    }

    @Test
    void aForksRequestWaitsThenRunsOnceApprovedAndTheApprovalHoldsForItsLaterHeads() {
        Outcome opened = requests.receive(event(RequestEvent.Action.OPENED, true), repository).join();
        drainIntake();

        assertThat(opened).isInstanceOfSatisfying(Outcome.AwaitingApproval.class, wait -> {
            assertThat(wait.runId()).isEqualTo(runId);
            assertThat(wait.reason()).startsWith("awaiting approval").contains("POST /approvals");
        });
        assertThat(emitted).isEmpty();
        assertThat(state().awaiting().sha()).isEqualTo(HEAD);
        assertThat(state().approved()).isFalse();

        Outcome approved = requests.approve("org/app", 12).join();
        drainIntake();
        String later = "c".repeat(40);
        Outcome laterHead = requests.receive(withHead(event(RequestEvent.Action.UPDATED, true), later, "d-9"),
                repository).join();
        drainIntake();

        assertThat(approved).isEqualTo(new Outcome.Accepted(runId));
        assertThat(laterHead).isInstanceOf(Outcome.Accepted.class);
        assertThat(emitted).extracting(Emitted::sha, Emitted::source)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(HEAD, RequestService.APPROVAL_SOURCE),
                        org.assertj.core.groups.Tuple.tuple(later, "github"));
        assertThat(state().approved()).isTrue();
        assertThat(state().isAwaiting()).isFalse();
        assertThat(requests.approve("org/app", 12).join()).isInstanceOfSatisfying(Outcome.Conflict.class,
                conflict -> assertThat(conflict.reason()).contains("already approved"));
    }

    @Test
    void theApprovalLabelReleasesTheRunThatWaits() {
        requests.receive(event(RequestEvent.Action.OPENED, true), repository).join();

        Outcome labeled = requests.receive(event(RequestEvent.Action.LABELED, true, "slipway/approved"), repository).join();
        drainIntake();

        assertThat(labeled).isEqualTo(new Outcome.Accepted(runId));
        assertThat(emitted).extracting(Emitted::sha).containsExactly(HEAD);
        assertThat(state().approved()).isTrue();
    }

    @Test
    void approvingAnUnknownRequestOrOneWithNothingWaitingStartsNothing() {
        requests.receive(event(RequestEvent.Action.OPENED, false), repository).join();
        drainIntake();

        assertThat(requests.approve("org/app", 99).join()).isInstanceOf(Outcome.Unknown.class);
        assertThat(requests.approve("org/app", 12).join()).isInstanceOf(Outcome.Conflict.class);
        assertThat(submitted).isEmpty();
    }

    @Test
    void aRerunOfTheRequestRunsItsNewestHeadAsTheNextAttempt() {
        requests.receive(event(RequestEvent.Action.OPENED, false), repository).join();
        drainIntake();
        String second = "b".repeat(40);
        requests.receive(withHead(event(RequestEvent.Action.UPDATED, false), second, "d-2"), repository).join();
        drainIntake();

        Outcome rerun = requests.rerun("org/app", 12).join();
        drainIntake();

        assertThat(rerun).isEqualTo(new Outcome.Accepted(RunIds.runId("org/app", second, "refs/pull/12/head")));
        assertThat(emitted).extracting(Emitted::sha, Emitted::attempt).containsExactly(
                org.assertj.core.groups.Tuple.tuple(HEAD, 1), org.assertj.core.groups.Tuple.tuple(second, 1),
                org.assertj.core.groups.Tuple.tuple(second, 2));
        assertThat(emitted.get(2).sequence()).isGreaterThan(emitted.get(1).sequence());
        assertThat(state().sequence()).isEqualTo(emitted.get(2).sequence());
        assertThat(state().headSha()).isEqualTo(second);
    }

    @Test
    void aRerunOfAHeadThatANewerHeadOvertookIsSupersededAndLeavesTheNewerHeadsRunAlone() {
        openedAndRun();
        String newer = "b".repeat(40);
        requests.receive(withHead(event(RequestEvent.Action.UPDATED, false), newer, "d-2"), repository).join();

        Outcome rerun = requests.rerun("org/app", 12).join();
        drainIntake();

        assertThat(rerun).isEqualTo(new Outcome.Accepted(runId));
        assertThat(emitted).extracting(Emitted::sha, Emitted::attempt).containsExactly(
                org.assertj.core.groups.Tuple.tuple(HEAD, 1), org.assertj.core.groups.Tuple.tuple(newer, 1),
                org.assertj.core.groups.Tuple.tuple(HEAD, 2));
        // The newer head stays the request's head, above the re-run's sequence: the re-run is superseded, the newer
        // head's run (below that sequence, same head) is not.
        assertThat(state().headSha()).isEqualTo(newer);
        assertThat(state().sequence()).isGreaterThan(emitted.get(2).sequence());
    }

    @Test
    void aRerunOfAClosedUnknownOrWaitingRequestIsRefused() {
        assertThat(requests.rerun("org/app", 12).join()).isInstanceOf(Outcome.Unknown.class);
        requests.receive(event(RequestEvent.Action.OPENED, true), repository).join();
        assertThat(requests.rerun("org/app", 12).join()).isInstanceOfSatisfying(Outcome.Conflict.class,
                conflict -> assertThat(conflict.reason()).contains("awaits approval"));
        requests.receive(event(RequestEvent.Action.CLOSED, true), repository).join();
        assertThat(requests.rerun("org/app", 12).join()).isInstanceOfSatisfying(Outcome.Conflict.class,
                conflict -> assertThat(conflict.reason()).contains("closed"));
        assertThat(submitted).isEmpty();
    }

    @Test
    void aStateThatFailedAfterItsRunWasEmittedIsWrittenWhenTheRunIsRedecided() {
        requests.receive(event(RequestEvent.Action.OPENED, false), repository).join();
        Submitted candidate = submitted.get(0);
        TriggerService failingOwner = ownerWhoseStateWritesFail();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> failingOwner.start(candidate.push(), candidate.runId(),
                clock.instant(), false)).hasMessage("Kafka is down");
        drainIntake();

        assertThat(emitted).hasSize(1);
        assertThat(state().headSha()).isEqualTo(HEAD);
        assertThat(state().sequence()).isEqualTo(emitted.get(0).sequence());
    }

    @Test
    void aCloseThatARunsFailedStateWriteWasToKeepIsStillKeptWhenTheRunIsRedecided() {
        openedAndRun();
        requests.receive(withHead(event(RequestEvent.Action.UPDATED, false), "b".repeat(40), "d-2"), repository).join();
        Submitted candidate = submitted.remove(0);
        clock.advance(Duration.ofSeconds(1));
        requests.receive(withHead(event(RequestEvent.Action.CLOSED, false), "b".repeat(40), "d-3"), repository).join();
        TriggerService failingOwner = ownerWhoseStateWritesFail();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> failingOwner.start(candidate.push(),
                candidate.runId(), candidate.at(), false)).hasMessage("Kafka is down");

        trigger.start(candidate.push(), candidate.runId(), candidate.at(), false);

        assertThat(emitted).hasSize(2);
        assertThat(state().open()).isFalse();
        assertThat(state().sequence()).isGreaterThan(emitted.get(1).sequence());
    }
}

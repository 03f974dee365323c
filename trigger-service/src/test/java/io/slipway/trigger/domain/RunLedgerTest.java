package io.slipway.trigger.domain;

import io.slipway.common.testing.TestClock;
import io.slipway.schemas.RunIds;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunLedgerTest {

    static Push push(String source, String delivery, String sha) {
        return new Push(source, delivery, "org/app", "https://example.org/org/app.git", null, "refs/heads/main",
                sha, "change", "Ada", "ada@example.org", Instant.parse("2026-11-01T10:00:00Z"), false);
    }

    private static final Instant AT = Instant.parse("2026-11-02T10:00:00Z");

    private final TestClock clock = new TestClock(AT);
    private final AtomicLong transaction = new AtomicLong(1);
    private final RunLedger ledger = new RunLedger(RunLedger.Limits.DEFAULT, clock, transaction::get);
    private final String sha = "a".repeat(40);
    private final String runId = RunIds.runId("org/app", sha, "refs/heads/main");

    @Test
    void anUnknownPushStartsTheFirstAttempt() {
        assertThat(ledger.decide(runId, push("github", "d-1", sha), false, AT)).isEqualTo(new RunLedger.Verdict.NewRun(1, AT.toEpochMilli()));
    }

    @Test
    void aRedeliveryIsADuplicate() {
        ledger.record(runId, 1, push("github", "d-1", sha), 10, AT);

        assertThat(ledger.decide(runId, push("github", "d-1", sha), false, AT))
                .isInstanceOf(RunLedger.Verdict.Duplicate.class)
                .hasToString(new RunLedger.Verdict.Duplicate(runId, "delivery d-1 was already received").toString());
    }

    @Test
    void aNewAttemptAskedForByADeliveryAlreadyReceivedIsADuplicate() {
        ledger.record(runId, 1, push("github", "d-1", sha), 10, AT);
        ledger.record(runId, 2, push("github", "reopened", sha), 10, AT);

        assertThat(ledger.decide(runId, push("github", "reopened", sha), true, AT))
                .isInstanceOf(RunLedger.Verdict.Duplicate.class);
        assertThat(ledger.decide(runId, push("github", "reopened-again", sha), true, AT))
                .isEqualTo(new RunLedger.Verdict.NewRun(3, 10));
    }

    @Test
    void theSamePushUnderAnotherDeliveryIdIsADuplicate() {
        ledger.record(runId, 1, push("github", "d-1", sha), 10, AT);

        assertThat(ledger.decide(runId, push("gitea", "other", sha), false, AT))
                .isInstanceOf(RunLedger.Verdict.Duplicate.class);
    }

    @Test
    void aManualRunIsTheNextAttemptOfTheSameRun() {
        ledger.record(runId, 1, push("github", "d-1", sha), 10, AT);
        ledger.record(runId, 2, push("manual", null, sha), 10, AT);

        assertThat(ledger.decide(runId, push("manual", null, sha), true, AT)).isEqualTo(new RunLedger.Verdict.NewRun(3, 10));
    }

    @Test
    void keepsTheHighestAttemptWhateverTheReadOrder() {
        ledger.record(runId, 2, push("manual", null, sha), 10, AT);
        ledger.record(runId, 1, push("github", "d-1", sha), 10, AT);

        assertThat(ledger.run(runId)).hasValueSatisfying(e -> assertThat(e.attempt()).isEqualTo(2));
    }

    @Test
    void remembersTheLatestRunOfARef() {
        String newer = "b".repeat(40);
        ledger.record(runId, 1, push("github", "d-1", sha), 10, AT);
        ledger.record(RunIds.runId("org/app", newer, "refs/heads/main"), 1, push("github", "d-2", newer), 11, AT);

        assertThat(ledger.latest("org/app", "refs/heads/main")).hasValueSatisfying(e -> assertThat(e.push().sha()).isEqualTo(newer));
        assertThat(ledger.latest("org/app", "refs/heads/other")).isEmpty();
    }

    @Test
    void sequencesFollowTheOrderOfAcceptanceNotTheCommitDates() {
        String future = "f".repeat(40);
        Push dated2099 = withTimestamp(push("github", "d-1", future), Instant.parse("2099-01-01T00:00:00Z"));
        long first = startAt(RunIds.runId("org/app", future, "refs/heads/main"), dated2099, AT);
        long second = startAt(runId, push("github", "d-2", sha), AT);

        assertThat(first).isEqualTo(AT.toEpochMilli());
        assertThat(second).as("accepted later, in the same millisecond").isEqualTo(first + 1);
    }

    @Test
    void aSequenceKeepsRisingWhenTheAcceptingClockIsBehind() {
        long first = startAt(runId, push("github", "d-1", sha), AT);
        String next = "b".repeat(40);
        long second = startAt(RunIds.runId("org/app", next, "refs/heads/main"), push("github", "d-2", next),
                AT.minusSeconds(3600));

        assertThat(second).isGreaterThan(first);
    }

    @Test
    void aSequenceIsNeverBelowTheAcceptanceTimeSoItRisesAfterOldRunsAgedOut() {
        long first = startAt(runId, push("github", "d-1", sha), AT);
        RunLedger restarted = new RunLedger(RunLedger.Limits.DEFAULT, clock);
        String next = "b".repeat(40);
        Instant later = AT.plusSeconds(60);

        RunLedger.Verdict verdict = restarted.decide(RunIds.runId("org/app", next, "refs/heads/main"),
                push("github", "d-2", next), false, later);

        assertThat(verdict).isEqualTo(new RunLedger.Verdict.NewRun(1, later.toEpochMilli()));
        assertThat(((RunLedger.Verdict.NewRun) verdict).sequence()).isGreaterThan(first);
    }

    @Test
    void aManualReRunKeepsTheSequenceOfItsRunAfterLaterPushes() {
        long original = startAt(runId, push("github", "d-1", sha), AT);
        String newer = "b".repeat(40);
        long later = startAt(RunIds.runId("org/app", newer, "refs/heads/main"), push("github", "d-2", newer), AT);

        RunLedger.Verdict rerun = ledger.decide(runId, push("manual", null, sha), true, AT.plusSeconds(600));

        assertThat(rerun).isEqualTo(new RunLedger.Verdict.NewRun(2, original));
        assertThat(original).isLessThan(later);
    }

    @Test
    void aManualRunOfACommitNeverRunIsANewAcceptance() {
        long pushed = startAt(runId, push("github", "d-1", sha), AT);
        String unseen = "d".repeat(40);

        RunLedger.Verdict verdict = ledger.decide(RunIds.runId("org/app", unseen, "refs/heads/main"),
                push("manual", null, unseen), true, AT);

        assertThat(verdict).isEqualTo(new RunLedger.Verdict.NewRun(1, pushed + 1));
    }

    @Test
    void eachRepositoryHasItsOwnSequence() {
        long app = startAt(runId, push("github", "d-1", sha), AT);
        Push other = new Push("github", "d-9", "org/other", "https://example.org/org/other.git", null,
                "refs/heads/main", sha, "m", "Ada", null, AT, false);

        assertThat(ledger.decide(RunIds.runId("org/other", sha, "refs/heads/main"), other, false, AT))
                .isEqualTo(new RunLedger.Verdict.NewRun(1, app));
    }

    @Test
    void forgetsARunOnceItsWindowHasPassedSoItsPushCountsAsNew() {
        RunLedger small = new RunLedger(new RunLedger.Limits(Duration.ofDays(7), 100), clock);
        small.record(runId, 1, push("github", "d-1", sha), 10, AT);
        clock.advance(Duration.ofDays(7).plusMillis(1));

        assertThat(small.decide(runId, push("github", "d-1", sha), false, clock.instant()))
                .isEqualTo(new RunLedger.Verdict.NewRun(1, clock.instant().toEpochMilli()));
        assertThat(small.size()).isZero();
        assertThat(small.latest("org/app", "refs/heads/main")).isEmpty();
        assertThat(small.forgotten()).isEqualTo(1);
    }

    @Test
    void keepsARunWithinItsWindow() {
        RunLedger small = new RunLedger(new RunLedger.Limits(Duration.ofDays(7), 100), clock);
        small.record(runId, 1, push("github", "d-1", sha), 10, AT);
        clock.advance(Duration.ofDays(7));

        assertThat(small.decide(runId, push("github", "d-1", sha), false, clock.instant()))
                .isInstanceOf(RunLedger.Verdict.Duplicate.class);
    }

    @Test
    void doesNotTakeInARecordOlderThanTheWindow() {
        RunLedger small = new RunLedger(new RunLedger.Limits(Duration.ofHours(1), 100), clock);

        small.record(runId, 1, push("github", "d-1", sha), 10, AT.minus(Duration.ofHours(2)));

        assertThat(small.run(runId)).isEmpty();
        assertThat(small.forgotten()).isEqualTo(1);
    }

    @Test
    void keepsEveryRunOfTheWindowBeyondTheMaximumSoAReRunIsTheNextAttempt() {
        RunLedger small = new RunLedger(new RunLedger.Limits(Duration.ofDays(8), 2), clock);
        String[] shas = {"1".repeat(40), "2".repeat(40), "3".repeat(40)};
        for (int i = 0; i < shas.length; i++) {
            small.record(RunIds.runId("org/app", shas[i], "refs/heads/main"), 1, push("github", "d-" + i, shas[i]),
                    10 + i, AT.plusSeconds(i));
        }

        String first = RunIds.runId("org/app", shas[0], "refs/heads/main");
        assertThat(small.size()).isEqualTo(3);
        assertThat(small.decide(first, push("manual", null, shas[0]), true, AT.plusSeconds(5)))
                .isEqualTo(new RunLedger.Verdict.NewRun(2, 10));
        assertThat(small.decide(first, push("github", "d-0", shas[0]), false, AT.plusSeconds(5)))
                .isInstanceOf(RunLedger.Verdict.Duplicate.class);
        assertThat(small.forgotten()).isZero();
    }

    @Test
    void aNewAttemptMakesItsRunTheYoungest() {
        RunLedger small = new RunLedger(new RunLedger.Limits(Duration.ofDays(7), 2), clock);
        String other = "b".repeat(40);
        String otherRun = RunIds.runId("org/app", other, "refs/heads/main");
        small.record(runId, 1, push("github", "d-1", sha), 10, AT);
        small.record(otherRun, 1, push("github", "d-2", other), 11, AT.plusSeconds(1));
        small.record(runId, 2, push("manual", null, sha), 10, AT.plusSeconds(2));

        clock.advance(Duration.ofDays(7).plusSeconds(1).plusMillis(1));

        assertThat(small.decide(runId, push("github", "d-1", sha), false, clock.instant()))
                .as("the first attempt's delivery stays known with its run").isInstanceOf(RunLedger.Verdict.Duplicate.class);
        assertThat(small.run(otherRun)).isEmpty();
        assertThat(small.run(runId)).hasValueSatisfying(e -> assertThat(e.attempt()).isEqualTo(2));
    }

    @Test
    void aWindowEndingBeforeTheDeliverersOutcomeWindowAndThePipelineMarginIsRefused() {
        assertThatThrownBy(() -> new RunLedger.Limits(Duration.ofDays(7), 10).requireOutlasting(Duration.ofDays(7)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT192H");
        RunLedger.Limits.DEFAULT.requireOutlasting(Duration.ofDays(7));
        new RunLedger.Limits(Duration.ofDays(31), 10).requireOutlasting(Duration.ofDays(30));
    }

    @Test
    void refusesLimitsThatHoldNothing() {
        assertThatThrownBy(() -> new RunLedger.Limits(Duration.ZERO, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RunLedger.Limits(Duration.ofDays(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRunEmittedInATransactionThatWasAbortedIsForgottenSoItsRedoStartsIt() {
        ledger.recordEmitted(runId, 1, push("github", "d-1", sha), 10, AT);
        assertThat(ledger.decide(runId, push("github", "d-1", sha), false, AT))
                .isInstanceOf(RunLedger.Verdict.Duplicate.class);

        assertThat(ledger.forgetEmittedIn(transaction.get())).isEqualTo(1);

        assertThat(ledger.decide(runId, push("github", "d-1", sha), false, AT))
                .isEqualTo(new RunLedger.Verdict.NewRun(1, AT.toEpochMilli()));
        assertThat(ledger.run(runId)).isEmpty();
        assertThat(ledger.latest("org/app", "refs/heads/main")).isEmpty();
        assertThat(ledger.size()).isZero();
    }

    @Test
    void anAbortedReRunFallsBackToTheCommittedAttemptAndSequences() {
        String later = "b".repeat(40);
        String laterRun = RunIds.runId("org/app", later, "refs/heads/main");
        ledger.record(runId, 1, push("github", "d-1", sha), 10, AT);
        ledger.record(laterRun, 1, push("github", "d-2", later), 11, AT);
        ledger.recordEmitted(runId, 2, push("manual", null, sha), 10, AT);
        ledger.recordEmitted(RunIds.runId("org/app", "c".repeat(40), "refs/heads/main"), 1,
                push("github", "d-3", "c".repeat(40)), 12, AT);

        ledger.forgetEmittedIn(transaction.get());

        assertThat(ledger.decide(runId, push("manual", null, sha), true, AT)).isEqualTo(new RunLedger.Verdict.NewRun(2, 10));
        assertThat(ledger.latest("org/app", "refs/heads/main")).hasValueSatisfying(e -> assertThat(e.runId()).isEqualTo(laterRun));
        assertThat(ledger.decide(RunIds.runId("org/app", "c".repeat(40), "refs/heads/main"),
                push("github", "d-3", "c".repeat(40)), false, Instant.EPOCH))
                .as("the aborted run's sequence 12 is free again").isEqualTo(new RunLedger.Verdict.NewRun(1, 12));
    }

    @Test
    void aRunReadBackFromTheTopicIsNoLongerForgottenNorAreTheEarlierRunsOfItsRepository() {
        String second = "b".repeat(40);
        String secondRun = RunIds.runId("org/app", second, "refs/heads/main");
        Push otherRepository = new Push("github", "o-1", "org/other", "https://example.org/org/other.git", null,
                "refs/heads/main", sha, "change", "Ada", "ada@example.org", AT, false);
        String otherRun = RunIds.runId("org/other", sha, "refs/heads/main");
        ledger.recordEmitted(runId, 1, push("github", "d-1", sha), 10, AT);
        ledger.recordEmitted(otherRun, 1, otherRepository, 20, AT);
        ledger.recordEmitted(secondRun, 1, push("github", "d-2", second), 11, AT);

        ledger.record(secondRun, 1, push("github", "d-2", second), 11, AT);

        assertThat(ledger.unconfirmed()).as("org/other's run is not read back yet").isEqualTo(1);
        assertThat(ledger.forgetEmittedIn(transaction.get())).isEqualTo(1);
        assertThat(ledger.run(runId)).isPresent();
        assertThat(ledger.run(secondRun)).isPresent();
        assertThat(ledger.run(otherRun)).isEmpty();
    }

    @Test
    void anAbortedTransactionForgetsOnlyItsOwnRunsNotThoseOfTheCommittedOneBeforeItThatAreNotReadBackYet() {
        String second = "b".repeat(40);
        String secondRun = RunIds.runId("org/app", second, "refs/heads/main");
        ledger.recordEmitted(runId, 1, push("github", "d-1", sha), 10, AT);
        transaction.set(2);
        ledger.recordEmitted(secondRun, 1, push("github", "d-2", second), 11, AT);

        assertThat(ledger.forgetEmittedIn(2)).isEqualTo(1);

        assertThat(ledger.decide(runId, push("github", "d-1", sha), false, AT))
                .as("the committed transaction's run, redelivered in the redone poll")
                .isInstanceOf(RunLedger.Verdict.Duplicate.class);
        assertThat(ledger.decide(secondRun, push("github", "d-2", second), false, AT))
                .isEqualTo(new RunLedger.Verdict.NewRun(1, AT.toEpochMilli()));
        assertThat(ledger.latest("org/app", "refs/heads/main"))
                .hasValueSatisfying(e -> assertThat(e.runId()).isEqualTo(runId));
        assertThat(ledger.unconfirmed()).isEqualTo(1);
    }

    @Test
    void runsEmittedOutsideATransactionAreNeverForgotten() {
        RunLedger outside = new RunLedger(RunLedger.Limits.DEFAULT, clock);
        outside.recordEmitted(runId, 1, push("github", "d-1", sha), 10, AT);

        assertThat(outside.forgetEmittedIn(RunLedger.NO_TRANSACTION)).isZero();
        assertThat(outside.run(runId)).isPresent();
    }

    @Test
    void aRunReadBackAfterItsUndoIsHeldAgain() {
        ledger.recordEmitted(runId, 1, push("github", "d-1", sha), 10, AT);
        ledger.forgetEmittedIn(transaction.get());

        ledger.record(runId, 1, push("github", "d-1", sha), 10, AT);

        assertThat(ledger.decide(runId, push("github", "d-1", sha), false, AT))
                .isInstanceOf(RunLedger.Verdict.Duplicate.class);
        assertThat(ledger.unconfirmed()).isZero();
    }

    private long startAt(String id, Push push, Instant acceptedAt) {
        RunLedger.Verdict.NewRun run = (RunLedger.Verdict.NewRun) ledger.decide(id, push, false, acceptedAt);
        ledger.record(id, run.attempt(), push, run.sequence(), acceptedAt);
        return run.sequence();
    }

    private static Push withTimestamp(Push p, Instant timestamp) {
        return new Push(p.source(), p.deliveryId(), p.repository(), p.cloneUrl(), p.webUrl(), p.ref(), p.sha(),
                p.message(), p.authorName(), p.authorEmail(), timestamp, false);
    }
}

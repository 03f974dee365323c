package io.slipway.trigger.domain;

import io.slipway.schemas.RunIds;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RunLedgerTest {

    static Push push(String source, String delivery, String sha) {
        return new Push(source, delivery, "org/app", "https://example.org/org/app.git", null, "refs/heads/main",
                sha, "change", "Ada", "ada@example.org", Instant.parse("2026-11-01T10:00:00Z"), false);
    }

    private static final Instant AT = Instant.parse("2026-11-02T10:00:00Z");

    private final RunLedger ledger = new RunLedger();
    private final String sha = "a".repeat(40);
    private final String runId = RunIds.runId("org/app", sha, "refs/heads/main");

    @Test
    void anUnknownPushStartsTheFirstAttempt() {
        assertThat(ledger.decide(runId, push("github", "d-1", sha), false, AT)).isEqualTo(new RunLedger.Verdict.NewRun(1, AT.toEpochMilli()));
    }

    @Test
    void aRedeliveryIsADuplicate() {
        ledger.record(runId, 1, push("github", "d-1", sha), 10);

        assertThat(ledger.decide(runId, push("github", "d-1", sha), false, AT))
                .isInstanceOf(RunLedger.Verdict.Duplicate.class)
                .hasToString(new RunLedger.Verdict.Duplicate(runId, "delivery d-1 was already received").toString());
    }

    @Test
    void theSamePushUnderAnotherDeliveryIdIsADuplicate() {
        ledger.record(runId, 1, push("github", "d-1", sha), 10);

        assertThat(ledger.decide(runId, push("gitea", "other", sha), false, AT))
                .isInstanceOf(RunLedger.Verdict.Duplicate.class);
    }

    @Test
    void aManualRunIsTheNextAttemptOfTheSameRun() {
        ledger.record(runId, 1, push("github", "d-1", sha), 10);
        ledger.record(runId, 2, push("manual", null, sha), 10);

        assertThat(ledger.decide(runId, push("manual", null, sha), true, AT)).isEqualTo(new RunLedger.Verdict.NewRun(3, 10));
    }

    @Test
    void keepsTheHighestAttemptWhateverTheReadOrder() {
        ledger.record(runId, 2, push("manual", null, sha), 10);
        ledger.record(runId, 1, push("github", "d-1", sha), 10);

        assertThat(ledger.run(runId)).hasValueSatisfying(e -> assertThat(e.attempt()).isEqualTo(2));
    }

    @Test
    void remembersTheLatestRunOfARef() {
        String newer = "b".repeat(40);
        ledger.record(runId, 1, push("github", "d-1", sha), 10);
        ledger.record(RunIds.runId("org/app", newer, "refs/heads/main"), 1, push("github", "d-2", newer), 11);

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
        RunLedger restarted = new RunLedger();
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

    private long startAt(String id, Push push, Instant acceptedAt) {
        RunLedger.Verdict.NewRun run = (RunLedger.Verdict.NewRun) ledger.decide(id, push, false, acceptedAt);
        ledger.record(id, run.attempt(), push, run.sequence());
        return run.sequence();
    }

    private static Push withTimestamp(Push p, Instant timestamp) {
        return new Push(p.source(), p.deliveryId(), p.repository(), p.cloneUrl(), p.webUrl(), p.ref(), p.sha(),
                p.message(), p.authorName(), p.authorEmail(), timestamp, false);
    }
}

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

    private final RunLedger ledger = new RunLedger();
    private final String sha = "a".repeat(40);
    private final String runId = RunIds.runId("org/app", sha, "refs/heads/main");

    @Test
    void anUnknownPushStartsTheFirstAttempt() {
        assertThat(ledger.decide(runId, push("github", "d-1", sha), false)).isEqualTo(new RunLedger.Verdict.NewRun(1));
    }

    @Test
    void aRedeliveryIsADuplicate() {
        ledger.record(runId, 1, push("github", "d-1", sha));

        assertThat(ledger.decide(runId, push("github", "d-1", sha), false))
                .isInstanceOf(RunLedger.Verdict.Duplicate.class)
                .hasToString(new RunLedger.Verdict.Duplicate(runId, "delivery d-1 was already received").toString());
    }

    @Test
    void theSamePushUnderAnotherDeliveryIdIsADuplicate() {
        ledger.record(runId, 1, push("github", "d-1", sha));

        assertThat(ledger.decide(runId, push("gitea", "other", sha), false))
                .isInstanceOf(RunLedger.Verdict.Duplicate.class);
    }

    @Test
    void aManualRunIsTheNextAttemptOfTheSameRun() {
        ledger.record(runId, 1, push("github", "d-1", sha));
        ledger.record(runId, 2, push("manual", null, sha));

        assertThat(ledger.decide(runId, push("manual", null, sha), true)).isEqualTo(new RunLedger.Verdict.NewRun(3));
    }

    @Test
    void keepsTheHighestAttemptWhateverTheReadOrder() {
        ledger.record(runId, 2, push("manual", null, sha));
        ledger.record(runId, 1, push("github", "d-1", sha));

        assertThat(ledger.run(runId)).hasValueSatisfying(e -> assertThat(e.attempt()).isEqualTo(2));
    }

    @Test
    void remembersTheLatestRunOfARef() {
        String newer = "b".repeat(40);
        ledger.record(runId, 1, push("github", "d-1", sha));
        ledger.record(RunIds.runId("org/app", newer, "refs/heads/main"), 1, push("github", "d-2", newer));

        assertThat(ledger.latest("org/app", "refs/heads/main")).hasValueSatisfying(e -> assertThat(e.push().sha()).isEqualTo(newer));
        assertThat(ledger.latest("org/app", "refs/heads/other")).isEmpty();
    }
}

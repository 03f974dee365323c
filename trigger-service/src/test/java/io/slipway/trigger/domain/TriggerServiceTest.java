package io.slipway.trigger.domain;

import io.slipway.common.glob.Glob;
import io.slipway.common.policy.CloneUrlPolicy;
import io.slipway.schemas.RunIds;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.slipway.trigger.domain.RunLedgerTest.push;
import static org.assertj.core.api.Assertions.assertThat;

class TriggerServiceTest {

    record Submitted(Push push, String runId, boolean manual) {
    }

    record Emitted(String runId, int attempt, String source) {
    }

    private final List<Submitted> submitted = new ArrayList<>();
    private final List<Emitted> emitted = new ArrayList<>();
    private final List<Long> sequences = new ArrayList<>();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC);
    private final RunLedger ledger = new RunLedger(RunLedger.Limits.DEFAULT, clock);
    private final CloneUrlPolicy cloneUrls = new CloneUrlPolicy(CloneUrlPolicy.Settings.defaults());
    private final TriggerService trigger = new TriggerService(new PushAdmission(cloneUrls), ledger,
            (push, runId, manual) -> {
                submitted.add(new Submitted(push, runId, manual));
                return CompletableFuture.completedFuture(null);
            },
            (push, runId, attempt, at, sequence) -> {
                emitted.add(new Emitted(runId, attempt, push.source()));
                sequences.add(sequence);
            },
            new MemoryRequestBook(), clock);
    private final WatchedRepository all = new WatchedRepository(Glob.of("org/*"), "s",
            RefFilter.everything(), RefFilter.everything());
    private final String sha = "c".repeat(40);
    private final String runId = RunIds.runId("org/app", sha, "refs/heads/main");

    /** What the partition owner does with everything submitted so far. */
    private void drainIntake() {
        List<Submitted> batch = new ArrayList<>(submitted);
        submitted.clear();
        batch.forEach(s -> trigger.start(s.push(), s.runId(), clock.instant()));
    }

    @Test
    void aPushIsAcceptedAndStartsExactlyOneRun() {
        Outcome first = trigger.submit(push("github", "d-1", sha), all).join();
        Outcome raced = trigger.submit(push("github", "d-2", sha), all).join();
        drainIntake();

        assertThat(first).isEqualTo(new Outcome.Accepted(runId));
        assertThat(raced).as("not yet in the ledger, so the owner decides").isEqualTo(new Outcome.Accepted(runId));
        assertThat(emitted).containsExactly(new Emitted(runId, 1, "github"));
    }

    @Test
    void aKnownPushIsAnsweredAsDuplicateWithoutReachingTheIntake() {
        trigger.submit(push("github", "d-1", sha), all).join();
        drainIntake();

        Outcome again = trigger.submit(push("github", "d-1", sha), all).join();

        assertThat(again).isInstanceOf(Outcome.Duplicate.class);
        assertThat(submitted).isEmpty();
        assertThat(emitted).hasSize(1);
    }

    @Test
    void aManualRunReusesTheRunIdWithTheNextAttempt() {
        trigger.submit(push("github", "d-1", sha), all).join();
        drainIntake();

        Outcome rerun = trigger.manual(new ManualRun("org/app", "refs/heads/main", null, null, "ops"), all).join();
        drainIntake();
        trigger.manual(new ManualRun("org/app", "refs/heads/main", sha, null, "ops"), all).join();
        drainIntake();

        assertThat(rerun).isEqualTo(new Outcome.Accepted(runId));
        assertThat(emitted).containsExactly(new Emitted(runId, 1, "github"), new Emitted(runId, 2, "manual"),
                new Emitted(runId, 3, "manual"));
        assertThat(sequences).as("every attempt carries the sequence the push was accepted with").hasSize(3)
                .containsOnly(sequences.get(0));
    }

    @Test
    void aManualRunOfSomethingNeverSeenNeedsShaAndCloneUrl() {
        assertThat(trigger.manual(new ManualRun("org/new", "refs/heads/main", null, null, "ops"), all).join())
                .isInstanceOf(Outcome.Unknown.class);
        assertThat(trigger.manual(new ManualRun("org/new", "refs/heads/main", sha, null, "ops"), all).join())
                .isInstanceOf(Outcome.Unknown.class);
        assertThat(trigger.manual(new ManualRun("org/new", "refs/heads/main", sha, "https://169.254.169.254/x", "ops"), all).join())
                .isInstanceOf(Outcome.Refused.class);
        assertThat(trigger.manual(new ManualRun("org/new", "refs/heads/main", sha, "https://example.org/new.git", "ops"), all).join())
                .isEqualTo(new Outcome.Accepted(RunIds.runId("org/new", sha, "refs/heads/main")));
        assertThat(submitted).hasSize(1);
    }

    @Test
    void aManualRunObeysTheRefFiltersAndTheCloneUrlPolicyOfItsRepository() {
        WatchedRepository mainOnly = new WatchedRepository(Glob.of("org/*"), "s",
                RefFilter.of(List.of("main"), List.of()), RefFilter.of(List.of("v*"), List.of()));
        Outcome filteredBranch = trigger.manual(new ManualRun("org/app", "refs/heads/feature/x", sha,
                "https://example.org/app.git", "ops"), mainOnly).join();
        Outcome filteredTag = trigger.manual(new ManualRun("org/app", "refs/tags/nightly", sha,
                "https://example.org/app.git", "ops"), mainOnly).join();
        Outcome notBranchOrTag = trigger.manual(new ManualRun("org/app", "refs/notes/x", sha,
                "https://example.org/app.git", "ops"), all).join();
        Outcome loopback = trigger.manual(new ManualRun("org/app", "refs/heads/main", sha,
                "https://127.0.0.1/app.git", "ops"), mainOnly).join();

        assertThat(filteredBranch).isInstanceOf(Outcome.Ignored.class);
        assertThat(((Outcome.Ignored) filteredBranch).reason()).contains("feature/x");
        assertThat(filteredTag).isInstanceOf(Outcome.Ignored.class);
        assertThat(notBranchOrTag).isInstanceOf(Outcome.Ignored.class);
        assertThat(loopback).isInstanceOf(Outcome.Refused.class);
        assertThat(((Outcome.Refused) loopback).reason()).startsWith("clone URL refused");
        assertThat(submitted).isEmpty();
    }

    @Test
    void aManualRunOfASkipCiCommitRunsBecauseAPersonAskedForIt() {
        Push skipped = new Push("github", "d", "org/app", "https://example.org/app.git", null, "refs/heads/main",
                sha, "docs [skip ci]", "A", null, Instant.EPOCH, false);
        assertThat(trigger.submit(skipped, all).join()).isInstanceOf(Outcome.Ignored.class);

        Outcome manual = trigger.manual(new ManualRun("org/app", "refs/heads/main", sha,
                "https://example.org/app.git", "ops"), all).join();

        assertThat(manual).isEqualTo(new Outcome.Accepted(runId));
        assertThat(submitted).extracting(Submitted::manual).containsExactly(true);
    }

    @Test
    void ignoresDeletionsSkipCiAndFilteredRefs() {
        WatchedRepository mainOnly = new WatchedRepository(Glob.of("org/*"), "s",
                RefFilter.of(List.of("main", "release/*"), List.of("release/old-*")), RefFilter.of(List.of("v*"), List.of()));
        Push base = push("github", "d-1", sha);

        assertThat(trigger.submit(withRef(base, "refs/heads/feature/x"), mainOnly).join()).isInstanceOf(Outcome.Ignored.class);
        assertThat(trigger.submit(withRef(base, "refs/heads/release/old-1"), mainOnly).join()).isInstanceOf(Outcome.Ignored.class);
        assertThat(trigger.submit(withRef(base, "refs/tags/nightly"), mainOnly).join()).isInstanceOf(Outcome.Ignored.class);
        assertThat(trigger.submit(new Push("github", "d", "org/app", base.cloneUrl(), null, "refs/heads/main",
                Push.ZERO_SHA, "", "A", null, base.timestamp(), true), mainOnly).join()).isInstanceOf(Outcome.Ignored.class);
        assertThat(trigger.submit(new Push("github", "d", "org/app", base.cloneUrl(), null, "refs/heads/main",
                sha, "docs only [skip ci]", "A", null, base.timestamp(), false), mainOnly).join()).isInstanceOf(Outcome.Ignored.class);
        assertThat(trigger.submit(new Push("github", "d", "org/app", base.cloneUrl(), null, "refs/heads/main",
                sha, "[CI SKIP] typo", "A", null, base.timestamp(), false), mainOnly).join()).isInstanceOf(Outcome.Ignored.class);
        assertThat(submitted).isEmpty();

        assertThat(trigger.submit(withRef(base, "refs/heads/release/2.0"), mainOnly).join()).isInstanceOf(Outcome.Accepted.class);
        assertThat(trigger.submit(withRef(base, "refs/tags/v1.2.3"), mainOnly).join()).isInstanceOf(Outcome.Accepted.class);
    }

    @Test
    void refusesAForbiddenCloneUrl() {
        Push push = new Push("github", "d", "org/app", "https://0x7f000001/x.git", null, "refs/heads/main", sha,
                "m", "A", null, Instant.EPOCH, false);

        assertThat(trigger.submit(push, all).join()).isInstanceOf(Outcome.Refused.class);
        assertThat(submitted).isEmpty();
    }

    @Test
    void runsOfARepositoryGetRisingSequencesInTheOrderTheOwnerStartsThem() {
        String older = "e".repeat(40);
        Push farFuture = new Push("github", "d-1", "org/app", "https://example.org/org/app.git", null,
                "refs/heads/main", older, "m", "A", null, Instant.parse("2099-01-01T00:00:00Z"), false);
        trigger.submit(farFuture, all).join();
        trigger.submit(push("github", "d-2", sha), all).join();
        drainIntake();

        assertThat(sequences).hasSize(2);
        assertThat(sequences.get(1)).isGreaterThan(sequences.get(0));
    }

    private static Push withRef(Push p, String ref) {
        return new Push(p.source(), p.deliveryId() + ref, p.repository(), p.cloneUrl(), p.webUrl(), ref, p.sha(),
                p.message(), p.authorName(), p.authorEmail(), p.timestamp(), false);
    }
}

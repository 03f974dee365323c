package io.slipway.deliverer.domain;

import io.slipway.common.policy.ImageOwnership;
import io.slipway.deliverer.domain.PromotionFailed.Reason;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeliveryServiceTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String RELEASE = "release:5000/app";
    private static final String MIRROR = "mirror:5000/copies/app";

    private final FakeRegistry registry = new FakeRegistry();
    private final InMemoryLedger ledger = new InMemoryLedger();
    private final ReleaseTargets targets = new ReleaseTargets("staging/",
            new ReleaseTargets.Rule("**", "release:5000", null, null, List.of()),
            List.of(new ReleaseTargets.Rule("org/mirrored", null, null, null, List.of("mirror:5000/copies"))));
    /** The tests below stage every repository's image as {@code app}, which an operator grant allows. */
    private final ImageOwnership ownership = new ImageOwnership(
            List.of(new ImageOwnership.Rule("org/**", List.of("app"))));
    private final DeliveryService service = new DeliveryService(targets, new TagRules("main"), ownership, registry,
            ledger);

    private Delivery staged(String repository, String ref, String sha, int minutes, int attempt) {
        String digest = "sha256:" + String.format("%08x", (sha + attempt).hashCode()).repeat(8);
        Instant at = T0.plusSeconds(60L * minutes);
        // Accepted in the order of the commits: the sequence follows the minutes.
        Delivery delivery = new Delivery("run-" + sha + ref, attempt, repository, sha, ref, at, at.plusSeconds(5),
                1000 + minutes, new ImageRef("staging:5000", "staging/app"), digest, true);
        registry.staged.add(delivery.staged() + "@" + digest);
        return delivery;
    }

    private Outcome deliver(Delivery delivery) {
        Outcome outcome = service.deliver(delivery);
        service.recordOutcome(delivery, outcome);
        return outcome;
    }

    @Test
    void publishesTheTestedDigestWithEveryTagTheRunClaims() {
        Delivery run = staged("org/app", "refs/heads/main", "a1", 0, 1);

        Outcome outcome = deliver(run);

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Published.class, published -> {
            assertThat(published.tags()).containsExactly("a1", "main", "latest");
            assertThat(published.publications()).extracting(p -> p.target().toString()).containsExactly(RELEASE);
        });
        assertThat(registry.tagged(RELEASE, "latest")).isEqualTo(run.digest());
        assertThat(ledger.holder(new ImageRef("release:5000", "app"), "main")).get()
                .extracting(DeliveryLedger.TagHolder::runId).isEqualTo(run.runId());
    }

    @Test
    void copiesToEveryTargetBeforeAnyTagMoves() {
        Outcome outcome = deliver(staged("org/mirrored", "refs/heads/dev", "b2", 0, 1));

        assertThat(registry.calls).containsExactly("copy " + RELEASE, "copy " + MIRROR,
                "tag " + RELEASE + " [b2, dev]", "tag " + MIRROR + " [b2, dev]");
        assertThat(((Outcome.Published) outcome).publications()).hasSize(2);
    }

    @Test
    void aRunThatFinishesAfterANewerRunOfItsBranchMovesNeitherTheBranchTagNorLatest() {
        Delivery older = staged("org/app", "refs/heads/main", "c1", 0, 1);
        Delivery newer = staged("org/app", "refs/heads/main", "c2", 5, 1);

        deliver(newer);
        Outcome late = deliver(older);

        assertThat(((Outcome.Published) late).tags()).containsExactly("c1");
        assertThat(registry.tagged(RELEASE, "main")).isEqualTo(newer.digest());
        assertThat(registry.tagged(RELEASE, "latest")).isEqualTo(newer.digest());
        assertThat(registry.tagged(RELEASE, "c1")).isEqualTo(older.digest());
    }

    @Test
    void anOlderVersionMovesItsMinorTagButNotTheMajorHeldByANewerVersion() {
        Delivery v140 = staged("org/app", "refs/tags/v1.4.0", "d1", 0, 1);
        Delivery v139 = staged("org/app", "refs/tags/v1.3.9", "d2", 10, 1);

        deliver(v140);
        Outcome patch = deliver(v139);

        assertThat(((Outcome.Published) patch).tags()).containsExactly("d2", "1.3.9", "1.3");
        assertThat(registry.tagged(RELEASE, "1")).isEqualTo(v140.digest());
        assertThat(registry.tagged(RELEASE, "1.3")).isEqualTo(v139.digest());
    }

    @Test
    void aReRunOfTheSameCommitMovesItsTagsAgain() {
        deliver(staged("org/app", "refs/heads/main", "e1", 0, 1));
        Delivery rerun = staged("org/app", "refs/heads/main", "e1", 0, 2);

        Outcome outcome = deliver(rerun);

        assertThat(((Outcome.Published) outcome).tags()).containsExactly("e1", "main", "latest");
        assertThat(registry.tagged(RELEASE, "e1")).isEqualTo(rerun.digest());
    }

    @Test
    void aRunAttemptThatAlreadyHasAnOutcomeIsNotDeliveredAgain() {
        Delivery run = staged("org/app", "refs/heads/main", "f1", 0, 1);
        deliver(run);
        registry.calls.clear();

        Outcome again = deliver(run);

        assertThat(again).isInstanceOfSatisfying(Outcome.AlreadyDelivered.class, earlier -> {
            assertThat(earlier.earlier().outcome()).isEqualTo("PUBLISHED");
            assertThat(earlier.earlier().tags()).containsExactly("f1", "main", "latest");
        });
        assertThat(registry.calls).isEmpty();
    }

    @Test
    void aFailedRunAttemptStaysFailedWhenRedelivered() {
        Delivery missing = new Delivery("run-g", 1, "org/app", "g1", "refs/heads/main", T0, T0, 1,
                new ImageRef("staging:5000", "staging/app"), "sha256:" + "0".repeat(64), true);

        Outcome first = deliver(missing);
        Outcome second = deliver(missing);

        assertThat(first).isInstanceOfSatisfying(Outcome.Failed.class,
                failed -> assertThat(failed.reason()).isEqualTo(Reason.ARTIFACT_MISSING));
        assertThat(second).isInstanceOfSatisfying(Outcome.AlreadyDelivered.class,
                earlier -> assertThat(earlier.earlier().outcome()).isEqualTo("ARTIFACT_MISSING"));
        assertThat(ledger.tags).isEmpty();
    }

    @Test
    void aTagThatDoesNotReadBackAsTheTestedDigestFailsTheDelivery() {
        registry.corruptReference = "latest";

        Outcome outcome = deliver(staged("org/app", "refs/heads/main", "h1", 0, 1));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(Reason.DIGEST_MISMATCH);
            assertThat(failed.message()).contains("release:5000/app:latest", "sha256:other");
        });
        assertThat(ledger.tags).isEmpty();
    }

    @Test
    void registryRefusalsBecomeFailuresWithTheirReason() {
        registry.failure = new PromotionFailed(Reason.REGISTRY_AUTH, "refused", "401");

        Outcome outcome = deliver(staged("org/app", "refs/heads/main", "i1", 0, 1));

        assertThat(outcome).isEqualTo(new Outcome.Failed(Reason.REGISTRY_AUTH, "refused", "401"));
    }

    @Test
    void transientFaultsPropagateAndRecordNothing() {
        registry.failure = new IllegalStateException("registry 503");
        Delivery run = staged("org/app", "refs/heads/main", "j1", 0, 1);

        assertThatThrownBy(() -> service.deliver(run)).hasMessage("registry 503");
        assertThat(ledger.runs).isEmpty();
        assertThat(ledger.tags).isEmpty();
    }

    @Test
    void vmImagesWithoutOpenStackAndMalformedDigestsAreRefusedWithoutTouchingARegistry() {
        Delivery vm = new Delivery("run-k", 1, "org/app", "k1", "refs/heads/main", T0, T0, 1,
                new ImageRef("glance", "images"), "0b9d-image-id", false);
        Delivery malformed = new Delivery("run-l", 1, "org/app", "l1", "refs/heads/main", T0, T0, 1,
                new ImageRef("staging:5000", "staging/app"), "latest", true);

        assertThat(deliver(vm)).extracting(o -> ((Outcome.Failed) o).reason()).isEqualTo(Reason.CONFIG_INVALID);
        assertThat(deliver(malformed)).extracting(o -> ((Outcome.Failed) o).reason()).isEqualTo(Reason.ARTIFACT_MISSING);
        assertThat(registry.calls).isEmpty();
    }

    @Test
    void aLaterAcceptedRunTakesTheBranchTagAndLatestWhateverTheCommitDatesSay() {
        Delivery forged = run("org/app", "m1", Instant.parse("2099-01-01T00:00:00Z"), 1, 1, "staging/app");
        Delivery normal = run("org/app", "m2", T0, 2, 1, "staging/app");

        deliver(forged);
        Outcome outcome = deliver(normal);

        assertThat(((Outcome.Published) outcome).tags()).containsExactly("m2", "main", "latest");
        assertThat(registry.tagged(RELEASE, "main")).isEqualTo(normal.digest());
        assertThat(registry.tagged(RELEASE, "latest")).isEqualTo(normal.digest());
    }

    @Test
    void aManualReRunOfAnOlderCommitDoesNotTakeTheBranchTagOrLatestBack() {
        Delivery older = run("org/app", "n1", T0, 1, 1, "staging/app");
        Delivery newer = run("org/app", "n2", T0.plusSeconds(60), 2, 1, "staging/app");
        deliver(older);
        deliver(newer);
        Delivery rerun = run("org/app", "n1", T0, 1, 2, "staging/app");

        Outcome outcome = deliver(rerun);

        assertThat(((Outcome.Published) outcome).tags()).containsExactly("n1");
        assertThat(registry.tagged(RELEASE, "latest")).isEqualTo(newer.digest());
    }

    @Test
    void aSequencedRunOutranksAHolderFromBeforeSequencesWhichKeepTheirOldOrder() {
        Delivery legacyNewer = run("org/app", "o2", T0.plusSeconds(600), 0, 1, "staging/app");
        Delivery legacyOlder = run("org/app", "o1", T0, 0, 1, "staging/app");
        deliver(legacyNewer);
        assertThat(((Outcome.Published) deliver(legacyOlder)).tags()).as("among old events the commit time decides")
                .containsExactly("o1");

        Delivery sequenced = run("org/app", "o3", T0.minusSeconds(600), 5, 1, "staging/app");
        assertThat(((Outcome.Published) deliver(sequenced)).tags()).containsExactly("o3", "main", "latest");
        Delivery lateLegacy = run("org/app", "o4", T0.plusSeconds(3600), 0, 1, "staging/app");
        assertThat(((Outcome.Published) deliver(lateLegacy)).tags()).containsExactly("o4");
        assertThat(registry.tagged(RELEASE, "latest")).isEqualTo(sequenced.digest());
    }

    @Test
    void anImageNameOutsideTheRepositoryIsRefusedBeforeAnyRegistryCallAndMovesNoTag() {
        DeliveryService strict = new DeliveryService(new ReleaseTargets("staging/",
                new ReleaseTargets.Rule("**", "release:5000", null, null, List.of()), List.of()),
                new TagRules("main"), ImageOwnership.ownNamesOnly(), registry, ledger);
        Delivery victim = run("demo/acceptance-app", "p1", T0, 1, 1, "staging/demo/acceptance-app");
        Outcome published = strict.deliver(victim);
        strict.recordOutcome(victim, published);
        registry.calls.clear();
        Delivery evil = run("demo/evil", "p2", Instant.parse("2099-01-01T00:00:00Z"), 9, 1,
                "staging/demo/acceptance-app");

        Outcome outcome = strict.deliver(evil);

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(Reason.CONFIG_INVALID);
            assertThat(failed.message()).contains("'demo/acceptance-app'", "demo/evil");
        });
        assertThat(registry.calls).isEmpty();
        assertThat(registry.tagged("release:5000/demo/acceptance-app", "latest")).isEqualTo(victim.digest());
        assertThat(ledger.holder(new ImageRef("release:5000", "demo/acceptance-app"), "main")).get()
                .extracting(DeliveryLedger.TagHolder::runId).isEqualTo(victim.runId());
    }

    @Test
    void aRequestsRunIsNeverReleasedWhatItsRefOrArtifactWhileAPushOfTheSameCommitIs() {
        Delivery pull = request(staged("org/app", "refs/pull/12/head", "q1", 0, 1), "#12 → main");
        Delivery mergeResult = request(staged("org/app", "refs/merge-requests/4/merge", "q1", 0, 1), "!4 → main");
        Delivery onABranchRef = request(staged("org/app", "refs/heads/main", "q1", 0, 1), "#13 → main");
        Delivery lostItsRequest = staged("org/app", "refs/pull/14/head", "q1", 0, 1);
        Delivery vm = request(new Delivery("run-q2", 1, "org/app", "q2", "refs/pull/15/head", T0, T0, 1,
                new ImageRef("glance", "images"), "0b9d-image-id", false), "#15 → main");

        for (Delivery run : List.of(pull, mergeResult, onABranchRef, lostItsRequest, vm)) {
            assertThat(deliver(run)).as(run.ref()).isInstanceOf(Outcome.NotReleased.class);
        }
        Outcome push = deliver(staged("org/app", "refs/heads/main", "q1", 0, 2));

        assertThat(deliver(pull)).isEqualTo(new Outcome.NotReleased("#12 → main"));
        assertThat(deliver(lostItsRequest)).isEqualTo(new Outcome.NotReleased("refs/pull/14/head"));
        assertThat(registry.calls).containsExactly("copy " + RELEASE, "tag " + RELEASE + " [q1, main, latest]");
        assertThat(((Outcome.Published) push).tags()).containsExactly("q1", "main", "latest");
        assertThat(ledger.runs).hasSize(1);
    }

    private static Delivery request(Delivery run, String request) {
        return new Delivery(run.runId(), run.attempt(), run.repository(), run.sha(), run.ref(), run.committedAt(),
                run.triggeredAt(), run.sequence(), run.staged(), run.digest(), run.container(), request);
    }

    /** A run of {@code main} accepted with {@code sequence}, committed at {@code committedAt}. */
    private Delivery run(String repository, String sha, Instant committedAt, long sequence, int attempt,
                         String stagedRepository) {
        String digest = "sha256:" + String.format("%08x", (sha + attempt).hashCode()).repeat(8);
        Delivery delivery = new Delivery("run-" + sha, attempt, repository, sha, "refs/heads/main", committedAt,
                T0.plusSeconds(attempt), sequence, new ImageRef("staging:5000", stagedRepository), digest, true);
        registry.staged.add(delivery.staged() + "@" + digest);
        return delivery;
    }
}

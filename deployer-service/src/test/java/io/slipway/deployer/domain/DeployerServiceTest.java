package io.slipway.deployer.domain;

import io.slipway.common.glob.Glob;
import io.slipway.common.testing.TestClock;
import io.slipway.deployer.adapter.fake.FakeTarget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeployerServiceTest {

    private static final String REPO = "demo/app";

    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final FakeTarget staging = new FakeTarget();
    private final FakeTarget production = new FakeTarget();
    private final FakeTarget other = new FakeTarget();
    private final InMemoryStates states = new InMemoryStates();
    private final RecordedEvents events = new RecordedEvents();
    private long sequence;

    @AfterEach
    void stop() {
        staging.close();
        production.close();
        other.close();
    }

    private Environment stagingEnv() {
        return new Environment("staging", globs("demo/*"), globs("refs/heads/*"), false, staging.url(),
                List.of(new SmokeCheck("/", 200, null)), null, false, Duration.ZERO, staging);
    }

    private Environment productionEnv(boolean approval, Duration soak) {
        return new Environment("production", globs("demo/*"), globs("refs/heads/main", "refs/tags/v*"), false,
                production.url(), List.of(new SmokeCheck("/", 200, "running")), "staging", approval, soak, production);
    }

    private Environment otherEnv() {
        return new Environment("other", globs("other/*", "demo/app"), globs("refs/heads/*"), false, other.url(),
                List.of(), null, false, Duration.ZERO, other);
    }

    private DeployerService service(Environment... environments) {
        return new DeployerService(new Environments(List.of(environments)), states, events,
                new SmokeChecks(Duration.ofSeconds(5)), 3, clock);
    }

    private DeployerService standard() {
        return service(stagingEnv(), productionEnv(true, Duration.ZERO));
    }

    private static List<Glob> globs(String... globs) {
        return java.util.Arrays.stream(globs).map(Glob::of).toList();
    }

    private Publication publication(String ref, Intent intent) {
        sequence++;
        String sha = String.format("%040x", sequence);
        Run run = new Run("run-" + sequence, REPO, sha, ref, false, 1, sequence, null);
        return new Publication(run, new Artifact(Artifact.Kind.CONTAINER, "127.0.0.1:5000", REPO,
                "sha256:" + String.format("%064x", sequence)), intent);
    }

    private Publication publication() {
        return publication("refs/heads/main", Intent.NONE);
    }

    /** Two runs of the main branch, published and deployed to staging in turn. */
    private List<Publication> twoRunsDeployed(DeployerService deployer) throws TargetUnavailable {
        return twoRunsDeployed(deployer, false);
    }

    /** Two runs published in turn, the second one failing its smoke checks in staging when {@code secondBad}. */
    private List<Publication> twoRunsDeployed(DeployerService deployer, boolean secondBad) throws TargetUnavailable {
        List<Publication> runs = List.of(publication(), publication());
        if (secondBad) {
            staging.markBad(runs.get(1).artifact().digest());
        }
        for (Publication p : runs) {
            deployer.published(p);
        }
        return runs;
    }

    /** The same run's publication to a mirror registry (the deliverer publishes one per registry). */
    private static Publication fromMirror(Publication release) {
        return new Publication(release.run(), new Artifact(Artifact.Kind.CONTAINER, "mirror.example:5000", REPO,
                release.artifact().digest()), release.intent());
    }

    private String waitingIn(String environment) {
        Promotion pending = states.slot(environment, REPO).pending();
        return pending == null ? null : pending.artifact().run().runId();
    }

    @Test
    void deploysAPublishedArtifactAtOnceToTheAutomaticEnvironmentsThatAllowItAndQueuesItsPromotion() throws Exception {
        DeployerService deployer = service(stagingEnv(), productionEnv(true, Duration.ZERO), otherEnv());
        Publication p = publication();

        deployer.published(p);

        assertThat(staging.running()).isEqualTo(p.artifact().digest());
        assertThat(other.running()).isEqualTo(p.artifact().digest());
        assertThat(production.requests()).isEmpty();
        assertThat(events.failures).isEmpty();
        assertThat(events.changes).extracting(DeploymentEvents.Change::environment).containsExactlyInAnyOrder("staging", "other");
        DeploymentEvents.Change change = events.changes.stream().filter(c -> c.environment().equals("staging")).findFirst().orElseThrow();
        assertThat(change.rollback()).isFalse();
        assertThat(change.previous()).isNull();
        assertThat(change.now().url()).isEqualTo(staging.url());
        Slot slot = states.slot("staging", REPO);
        assertThat(slot.current().artifact().digest()).isEqualTo(p.artifact().digest());
        Promotion pending = states.slot("production", REPO).pending();
        assertThat(pending.artifact().run().runId()).isEqualTo(p.run().runId());
        assertThat(pending.approvalRequired()).isTrue();
        assertThat(pending.fromEnvironment()).isEqualTo("staging");
    }

    @Test
    void aRepositoryNotAllowedInAnEnvironmentIsNotDeployedThere() throws Exception {
        DeployerService deployer = standard();
        Run foreign = new Run("run-x", "evil/app", "a".repeat(40), "refs/heads/main", false, 1, 1, null);

        deployer.published(new Publication(foreign, new Artifact(Artifact.Kind.CONTAINER, "r", "evil/app",
                "sha256:" + "1".repeat(64)), Intent.NONE));

        assertThat(staging.requests()).isEmpty();
        assertThat(events.changes).isEmpty();
        assertThat(events.failures).isEmpty();
    }

    @Test
    void aRequestsRunGoesOnlyWhereThePreviewsAreAllowed() throws Exception {
        Environment previews = new Environment("preview", globs("demo/*"), globs("refs/pull/*/head"), true,
                other.url(), List.of(), null, false, Duration.ZERO, other);
        DeployerService deployer = service(stagingEnv(), previews);
        Run request = new Run("run-pr", REPO, "b".repeat(40), "refs/pull/7/head", true, 1, 1, null);

        deployer.published(new Publication(request, new Artifact(Artifact.Kind.CONTAINER, "r", REPO,
                "sha256:" + "2".repeat(64)), Intent.NONE));

        assertThat(staging.requests()).isEmpty();
        assertThat(other.requests()).singleElement().satisfies(r -> assertThat(r.runId()).isEqualTo("run-pr"));
    }

    @Test
    void theRepositorysIntentNarrowsTheEnvironmentsItGoesTo() throws Exception {
        DeployerService deployer = service(stagingEnv(), productionEnv(true, Duration.ZERO), otherEnv());

        deployer.published(publication("refs/heads/main", new Intent(List.of("other"), List.of())));

        assertThat(other.requests()).hasSize(1);
        assertThat(staging.requests()).isEmpty();
        assertThat(states.get("production", REPO)).isEmpty();
    }

    @Test
    void anIntentNamingAnEnvironmentThatIsUnknownOrNotAllowedIsConfigInvalidAndDeploysNothing() throws Exception {
        Environment locked = new Environment("locked", globs("other/*"), globs("refs/heads/*"), false, null,
                List.of(), null, false, Duration.ZERO, other);
        DeployerService deployer = service(stagingEnv(), locked);

        deployer.published(publication("refs/heads/main", new Intent(List.of("staging", "nowhere"), List.of())));
        deployer.published(publication("refs/heads/main", new Intent(List.of("staging", "locked"), List.of())));

        assertThat(staging.requests()).isEmpty();
        assertThat(other.requests()).isEmpty();
        assertThat(events.failures).extracting(DeploymentEvents.Failure::reason).containsExactly("CONFIG_INVALID", "CONFIG_INVALID");
        assertThat(events.failures.get(0).message()).contains("nowhere");
        assertThat(events.failures.get(1).message()).contains("locked", "not allowed");
    }

    @Test
    void aSmokePathThatCouldLeaveTheDeploymentsUrlIsConfigInvalid() throws Exception {
        DeployerService deployer = standard();
        for (String path : List.of("//evil.example/x", "http://evil.example/", "/@evil.example", "/\\evil", "health",
                "/a b")) {
            deployer.published(publication("refs/heads/main", new Intent(List.of(), List.of(new SmokeCheck(path, 200, null)))));
        }

        assertThat(staging.requests()).isEmpty();
        assertThat(events.failures).hasSize(6).allSatisfy(f -> {
            assertThat(f.reason()).isEqualTo("CONFIG_INVALID");
            assertThat(f.environment()).isNull();
        });
    }

    @Test
    void aFailedSmokeCheckRollsBackToThePreviousArtifactAndFailsTheRun() throws Exception {
        DeployerService deployer = standard();
        Publication good = publication();
        Publication broken = publication();
        staging.markBad(broken.artifact().digest());
        deployer.published(good);

        deployer.published(broken);

        assertThat(staging.running()).isEqualTo(good.artifact().digest());
        assertThat(staging.requests()).extracting(DeployRequest::rollback).containsExactly(false, false, true);
        assertThat(staging.requests().get(2).runId()).isEqualTo(good.run().runId());
        DeploymentEvents.Change rollback = events.changes.get(events.changes.size() - 1);
        assertThat(rollback.rollback()).isTrue();
        assertThat(rollback.reason()).isEqualTo("SMOKE_FAILED");
        assertThat(rollback.rolledBackRunId()).isEqualTo(broken.run().runId());
        assertThat(rollback.now().run().runId()).isEqualTo(good.run().runId());
        assertThat(rollback.previous().artifact().digest()).isEqualTo(broken.artifact().digest());
        assertThat(events.failures).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo("SMOKE_FAILED");
            assertThat(f.environment()).isEqualTo("staging");
            assertThat(f.run().runId()).isEqualTo(broken.run().runId());
            assertThat(f.message()).contains("rolled back to " + good.artifact().digest());
        });
        Slot slot = states.slot("staging", REPO);
        assertThat(slot.current().artifact().digest()).isEqualTo(good.artifact().digest());
        assertThat(slot.current().rollback()).isTrue();
        assertThat(slot.history()).extracting(p -> p.artifact().digest()).doesNotContain(broken.artifact().digest(),
                good.artifact().digest());
        assertThat(states.slot("production", REPO).pending().artifact().run().runId()).isEqualTo(good.run().runId());
    }

    @Test
    void aFirstDeploymentThatFailsItsSmokeChecksStaysAndTheFailureSaysSo() throws Exception {
        DeployerService deployer = standard();
        Publication broken = publication();
        staging.markBad(broken.artifact().digest());

        deployer.published(broken);

        assertThat(staging.running()).isEqualTo(broken.artifact().digest());
        assertThat(events.changes).hasSize(1);
        assertThat(events.failures).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo("SMOKE_FAILED");
            assertThat(f.message()).contains("first deployment", "nothing to roll back to");
        });
        assertThat(states.get("production", REPO)).isEmpty();
    }

    @Test
    void aDeploymentTheTargetRefusesFailsTheRunWithItsReasonAndChangesNothing() throws Exception {
        DeployerService deployer = standard();
        staging.refuseNext(new DeployFailed("UNHEALTHY", "the container never became healthy", "boom"));

        deployer.published(publication());

        assertThat(events.changes).isEmpty();
        assertThat(events.failures).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo("UNHEALTHY");
            assertThat(f.environment()).isEqualTo("staging");
            assertThat(f.logExcerpt()).isEqualTo("boom");
        });
        assertThat(states.get("staging", REPO)).isEmpty();
    }

    @Test
    void anUnreachableTargetIsTransientAndTheRedeliveryDeploysOnce() throws Exception {
        DeployerService deployer = standard();
        Publication p = publication();
        staging.unavailableFor(1);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> deployer.published(p))
                .isInstanceOf(TargetUnavailable.class);
        assertThat(events.changes).isEmpty();
        deployer.published(p);

        assertThat(staging.requests()).hasSize(1);
        assertThat(events.changes).hasSize(1);
    }

    @Test
    void anApprovalDeploysTheWaitingPromotionAndAnswersOnceItsSmokeChecksPassed() throws Exception {
        DeployerService deployer = standard();
        Publication p = publication();
        deployer.published(p);
        deployer.tick();
        assertThat(production.requests()).isEmpty();

        OperatorOutcome outcome = deployer.approve(p.run().runId(), "production", "alice");

        assertThat(outcome).isInstanceOfSatisfying(OperatorOutcome.Done.class,
                d -> assertThat(d.placement().artifact().digest()).isEqualTo(p.artifact().digest()));
        assertThat(production.running()).isEqualTo(p.artifact().digest());
        Slot slot = states.slot("production", REPO);
        assertThat(slot.current().run().runId()).isEqualTo(p.run().runId());
        assertThat(slot.pending()).isNull();
        assertThat(events.changes).extracting(DeploymentEvents.Change::environment).containsExactly("staging", "production");
        assertThat(deployer.approve(p.run().runId(), "production", "alice"))
                .isInstanceOf(OperatorOutcome.Conflict.class);
    }

    @Test
    void aRefNotAllowedInProductionGetsNoPromotionAndItsApprovalIsAConflictNamingTheRule() throws Exception {
        DeployerService deployer = standard();
        Publication feature = publication("refs/heads/feature-x", Intent.NONE);

        deployer.published(feature);

        assertThat(staging.running()).isEqualTo(feature.artifact().digest());
        assertThat(states.get("production", REPO)).isEmpty();
        assertThat(deployer.approve(feature.run().runId(), "production", "alice"))
                .isInstanceOfSatisfying(OperatorOutcome.Conflict.class,
                        c -> assertThat(c.message()).contains("refs/heads/feature-x", "refs/heads/main"));
        assertThat(production.requests()).isEmpty();
        assertThat(deployer.approve("run-unknown", "production", "alice")).isInstanceOf(OperatorOutcome.NotFound.class);
    }

    @Test
    void aNewerRunSupersedesAWaitingPromotion() throws Exception {
        DeployerService deployer = standard();
        Publication first = publication();
        Publication second = publication();
        deployer.published(first);

        deployer.published(second);

        assertThat(states.slot("production", REPO).pending().artifact().run().runId()).isEqualTo(second.run().runId());
        assertThat(deployer.approve(first.run().runId(), "production", "alice"))
                .isInstanceOfSatisfying(OperatorOutcome.Conflict.class, c -> assertThat(c.message()).contains("superseded"));
        assertThat(production.requests()).isEmpty();
        assertThat(deployer.approve(second.run().runId(), "production", "alice")).isInstanceOf(OperatorOutcome.Done.class);
        assertThat(production.running()).isEqualTo(second.artifact().digest());
    }

    @Test
    void aSoakTimeHoldsThePromotionUntilItHasPassed() throws Exception {
        DeployerService deployer = service(stagingEnv(), productionEnv(false, Duration.ofMinutes(10)));
        Publication p = publication();
        deployer.published(p);

        clock.advance(Duration.ofMinutes(9));
        deployer.tick();
        assertThat(production.requests()).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        deployer.tick();

        assertThat(production.running()).isEqualTo(p.artifact().digest());
        assertThat(states.slot("production", REPO).pending()).isNull();
    }

    @Test
    void anApprovalBeforeTheSoakEndedWaitsForIt() throws Exception {
        DeployerService deployer = service(stagingEnv(), productionEnv(true, Duration.ofMinutes(10)));
        Publication p = publication();
        deployer.published(p);

        assertThat(deployer.approve(p.run().runId(), "production", "alice")).isInstanceOf(OperatorOutcome.Waiting.class);
        assertThat(production.requests()).isEmpty();
        clock.advance(Duration.ofMinutes(10));
        deployer.tick();

        assertThat(production.running()).isEqualTo(p.artifact().digest());
    }

    @Test
    void aPromotionWithoutGatesFollowsAtOnce() throws Exception {
        DeployerService deployer = service(stagingEnv(), productionEnv(false, Duration.ZERO));
        Publication p = publication();

        deployer.published(p);

        assertThat(production.running()).isEqualTo(p.artifact().digest());
    }

    @Test
    void aRollbackOnDemandRestoresThePreviousOrTheNamedDigestFromTheHistory() throws Exception {
        DeployerService deployer = standard();
        Publication v1 = publication();
        Publication v2 = publication();
        Publication v3 = publication();
        deployer.published(v1);
        deployer.published(v2);
        deployer.published(v3);

        OperatorOutcome previous = deployer.rollback(REPO, "staging", null, "alice");

        assertThat(previous).isInstanceOf(OperatorOutcome.Done.class);
        assertThat(staging.running()).isEqualTo(v2.artifact().digest());
        DeploymentEvents.Change change = events.changes.get(events.changes.size() - 1);
        assertThat(change.rollback()).isTrue();
        assertThat(change.reason()).isEqualTo("MANUAL by alice");
        assertThat(change.rolledBackRunId()).isEqualTo(v3.run().runId());
        assertThat(change.now().run().runId()).isEqualTo(v2.run().runId());

        assertThat(deployer.rollback(REPO, "staging", v1.artifact().digest(), "alice")).isInstanceOf(OperatorOutcome.Done.class);
        assertThat(staging.running()).isEqualTo(v1.artifact().digest());
        assertThat(states.slot("staging", REPO).history()).extracting(p -> p.artifact().digest())
                .containsExactly(v2.artifact().digest(), v3.artifact().digest());

        assertThat(deployer.rollback(REPO, "staging", "sha256:" + "f".repeat(64), "alice"))
                .isInstanceOf(OperatorOutcome.NotFound.class);
        assertThat(deployer.rollback(REPO, "production", null, "alice")).isInstanceOf(OperatorOutcome.NotFound.class);
        assertThat(deployer.rollback(REPO, "nowhere", null, "alice")).isInstanceOf(OperatorOutcome.NotFound.class);
    }

    @Test
    void theHistoryKeepsAtMostItsBound() throws Exception {
        DeployerService deployer = standard();
        for (int i = 0; i < 6; i++) {
            deployer.published(publication());
        }

        assertThat(states.slot("staging", REPO).history()).hasSize(3);
    }

    @Test
    void aRedeliveredPublicationIsNotDeployedAgain() throws Exception {
        DeployerService deployer = standard();
        Publication p = publication();

        deployer.published(p);
        deployer.published(p);

        assertThat(staging.requests()).hasSize(1);
        assertThat(events.changes).hasSize(1);
        assertThat(events.failures).isEmpty();
        assertThat(states.slot("production", REPO).pending().artifact().run().runId()).isEqualTo(p.run().runId());
    }

    @Test
    void aRunOlderThanTheOneRunningIsNotDeployed() throws Exception {
        DeployerService deployer = standard();
        Publication older = publication();
        Publication newer = publication();

        deployer.published(newer);
        deployer.published(older);

        assertThat(staging.requests()).extracting(DeployRequest::runId).containsExactly(newer.run().runId());
        assertThat(events.failures).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo("SUPERSEDED");
            assertThat(f.environment()).isEqualTo("staging");
            assertThat(f.run().runId()).isEqualTo(older.run().runId());
        });
    }

    @Test
    void aManualRollbackWithdrawsThePromotionOfTheRunItTookOut() throws Exception {
        DeployerService deployer = standard();
        Publication v2 = twoRunsDeployed(deployer).get(1);
        assertThat(waitingIn("production")).isEqualTo(v2.run().runId());

        assertThat(deployer.rollback(REPO, "staging", null, "alice")).isInstanceOf(OperatorOutcome.Done.class);

        assertThat(waitingIn("production")).isNull();
        assertThat(deployer.approve(v2.run().runId(), "production", "alice"))
                .isInstanceOfSatisfying(OperatorOutcome.Conflict.class,
                        c -> assertThat(c.message()).contains("rolled back in staging"));
        deployer.tick();
        assertThat(production.requests()).isEmpty();
    }

    @Test
    void onlyTheFirstPublicationOfARunActsAndTheOthersOfTheSameRunAreAcknowledged() throws Exception {
        DeployerService deployer = standard();
        Publication release = publication();
        deployer.published(release);
        int checked = staging.served();

        deployer.published(fromMirror(release));

        assertThat(staging.requests()).hasSize(1);
        assertThat(staging.served()).isEqualTo(checked);
        assertThat(events.changes).hasSize(1);
        assertThat(events.failures).isEmpty();
    }

    @Test
    void aMirrorsPublicationOfARunThatFailedItsSmokeChecksDoesNotDeployItAgain() throws Exception {
        DeployerService deployer = standard();
        List<Publication> runs = twoRunsDeployed(deployer, true);

        deployer.published(fromMirror(runs.get(1)));

        assertThat(staging.requests()).extracting(DeployRequest::rollback).containsExactly(false, false, true);
        assertThat(staging.running()).isEqualTo(runs.get(0).artifact().digest());
        assertThat(events.changes).hasSize(3);
        assertThat(events.failures).hasSize(1);
    }

    @Test
    void aManualReRunOfARunDeploysAgain() throws Exception {
        DeployerService deployer = standard();
        Publication broken = twoRunsDeployed(deployer, true).get(1);
        staging.markGood(broken.artifact().digest());
        Run rerun = new Run(broken.run().runId(), REPO, broken.run().commitSha(), broken.run().ref(), false, 2,
                broken.run().acceptedSequence(), null);

        deployer.published(new Publication(rerun, broken.artifact(), Intent.NONE));

        assertThat(staging.running()).isEqualTo(broken.artifact().digest());
        assertThat(staging.requests()).hasSize(4);
    }

    @Test
    void anOlderRunStillInStagingIsNotQueuedBehindANewerRunInProduction() throws Exception {
        DeployerService deployer = standard();
        List<Publication> runs = twoRunsDeployed(deployer);
        deployer.approve(runs.get(1).run().runId(), "production", "alice");
        deployer.rollback(REPO, "staging", null, "alice");

        service(stagingEnv(), productionEnv(true, Duration.ZERO)).published(runs.get(0));

        assertThat(production.running()).isEqualTo(runs.get(1).artifact().digest());
        assertThat(waitingIn("production")).isNull();
        assertThat(events.failures).isEmpty();
    }

    @Test
    void aRunPutBackByARollbackIsNeverRolledForwardToTheRunTheOperatorTookOut() throws Exception {
        DeployerService deployer = standard();
        Publication v1 = twoRunsDeployed(deployer).get(0);
        deployer.rollback(REPO, "staging", null, "alice");
        staging.markBad(v1.artifact().digest());

        service(stagingEnv(), productionEnv(true, Duration.ZERO)).published(v1);

        assertThat(staging.running()).isEqualTo(v1.artifact().digest());
        assertThat(staging.requests()).hasSize(3);
        assertThat(events.failures).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo("SMOKE_FAILED");
            assertThat(f.message()).contains("A rollback put this run back");
        });
    }
}

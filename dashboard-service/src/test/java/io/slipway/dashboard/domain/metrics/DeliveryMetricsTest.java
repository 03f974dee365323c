package io.slipway.dashboard.domain.metrics;

import io.slipway.dashboard.domain.metrics.DeliveryReport.Day;
import io.slipway.dashboard.domain.metrics.DeliveryReport.Dora;
import io.slipway.dashboard.domain.metrics.DeliveryReport.ReasonCount;
import io.slipway.dashboard.domain.metrics.Facts.DeploymentFact;
import io.slipway.dashboard.domain.metrics.Facts.FailureFact;
import io.slipway.dashboard.domain.metrics.Facts.StageTimes;
import io.slipway.dashboard.domain.metrics.Percentiles.Spread;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DeliveryMetricsTest {

    private static final String APP = "acme/app";
    private static final String WEB = "acme/web";
    private static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-03-03T00:00:00Z");

    private final DeliveryMetrics metrics = new DeliveryMetrics("production");

    private static Instant at(String dayAndTime) {
        return Instant.parse("2026-03-" + dayAndTime + ":00Z");
    }

    private static DeploymentFact deploy(String environment, String repository, String run, String commit,
                                         String triggered, String deployed) {
        return new DeploymentFact(environment, repository, run, 1, at(commit), at(triggered), at(deployed), false, null);
    }

    private static DeploymentFact rollback(String repository, String restoredRun, String takenOut, String deployed) {
        return new DeploymentFact("production", repository, restoredRun, 1, at("01T00:00"), at("01T00:00"),
                at(deployed), true, takenOut);
    }

    private static FailureFact failure(String repository, String run, String stage, String reason,
                                       String environment, String failed) {
        return new FailureFact(repository, run, 1, stage, reason, environment, at(failed));
    }

    private DeliveryReport compute(List<DeploymentFact> deployments, List<FailureFact> failures, String repository) {
        return metrics.compute(new Facts(deployments, failures, List.of()), FROM, TO, repository);
    }

    @Test
    void fourProductionDeploysInTwoDaysGiveKnownFigures() {
        DeliveryReport report = compute(List.of(
                // lead times from commit 1h, 2h, 3h, 10h; from the push 30m, 1h, 1h, 2h
                deploy("production", APP, "r1", "01T09:00", "01T09:30", "01T10:00"),
                deploy("production", APP, "r2", "01T12:00", "01T13:00", "01T14:00"),
                deploy("production", APP, "r3", "02T06:00", "02T08:00", "02T09:00"),
                deploy("production", APP, "r4", "02T10:00", "02T18:00", "02T20:00"),
                // staging is not production: not counted anywhere
                deploy("staging", APP, "r5", "01T00:00", "01T00:00", "01T11:00")), List.of(), null);

        Dora dora = report.overall();
        // 4 deployments over 2 days: 2 per day, 14 per week: on demand (elite)
        assertThat(dora.frequency().deployments()).isEqualTo(4);
        assertThat(dora.frequency().perDay()).isCloseTo(2.0, within(1e-9));
        assertThat(dora.frequency().perWeek()).isCloseTo(14.0, within(1e-9));
        assertThat(dora.frequency().band()).isEqualTo(Band.ELITE);
        // nearest rank over 1h, 2h, 3h, 10h: median rank 2 = 2h, p95 rank 4 = 10h; 2h is under a week: high
        assertThat(dora.leadTime().fromCommit()).isEqualTo(new Spread(4, hours(2), hours(10)));
        assertThat(dora.leadTime().band()).isEqualTo(Band.HIGH);
        // 30m, 1h, 1h, 2h: median rank 2 = 1h, p95 rank 4 = 2h
        assertThat(dora.leadTime().fromPush()).isEqualTo(new Spread(4, hours(1), hours(2)));
        assertThat(dora.failureRate().failed()).isZero();
        assertThat(dora.failureRate().rate()).isEqualTo(0.0);
        assertThat(dora.failureRate().band()).isEqualTo(Band.ELITE);
        assertThat(dora.restore().noFailures()).isTrue();
        assertThat(dora.restore().median()).isNull();
        // day 1: 1h and 2h → median rank 1 = 1h; day 2: 3h and 10h → 3h
        assertThat(report.days()).containsExactly(
                new Day(LocalDate.parse("2026-03-01"), 2, hours(1)),
                new Day(LocalDate.parse("2026-03-02"), 2, hours(3)));
    }

    @Test
    void rollbackAndDeployFailureCountAsFailedChangesAndTheNextGoodDeployRestores() {
        DeliveryReport report = compute(List.of(
                deploy("production", APP, "r1", "01T09:00", "01T09:00", "01T10:00"),
                // the smoke check failed: r0 restored, r1 taken out at 10:30 (and its BuildFailed a minute later
                // is the same failure, not a second one)
                rollback(APP, "r0", "r1", "01T10:30"),
                deploy("production", APP, "r2", "01T11:00", "01T11:00", "01T12:30"),
                deploy("production", APP, "r3", "02T07:00", "02T07:00", "02T08:00")), List.of(
                failure(APP, "r1", "DEPLOY", "SMOKE_FAILED", "production", "01T10:31"),
                // r3 failed in production and nothing came after it in the period: never restored
                failure(APP, "r3", "DEPLOY", "DEPLOY_FAILED", "production", "02T08:10"),
                // a staging failure of r2 is not a production failure
                failure(APP, "r2", "DEPLOY", "SMOKE_FAILED", "staging", "01T11:30")), null);

        Dora dora = report.overall();
        // the rollback is not a change: 3 deployments
        assertThat(dora.frequency().deployments()).isEqualTo(3);
        // r1 and r3 failed: 2 of 3 → above 30 %: low
        assertThat(dora.failureRate().failed()).isEqualTo(2);
        assertThat(dora.failureRate().deployments()).isEqualTo(3);
        assertThat(dora.failureRate().rate()).isCloseTo(2 / 3.0, within(1e-9));
        assertThat(dora.failureRate().band()).isEqualTo(Band.LOW);
        // r1's failure at 10:30 restored by r2 at 12:30: 2h (high); r3's never restored, not counted here
        assertThat(dora.restore().failures()).isEqualTo(2);
        assertThat(dora.restore().restored()).isEqualTo(1);
        assertThat(dora.restore().median()).isEqualTo(hours(2));
        assertThat(dora.restore().band()).isEqualTo(Band.HIGH);
    }

    @Test
    void aFailedDeploymentDoesNotRestoreAnEarlierFailure() {
        DeliveryReport report = compute(List.of(
                deploy("production", APP, "r1", "01T09:00", "01T09:00", "01T10:00"),
                deploy("production", APP, "r2", "01T09:00", "01T09:00", "01T11:00"),
                deploy("production", APP, "r3", "01T09:00", "01T09:00", "01T15:00")), List.of(
                failure(APP, "r1", "DEPLOY", "SMOKE_FAILED", "production", "01T10:05"),
                failure(APP, "r2", "DEPLOY", "SMOKE_FAILED", "production", "01T11:05")), null);

        // r1 (10:05) is restored by r3 at 15:00, skipping the failed r2: 4h55m; r2 (11:05) by r3: 3h55m.
        // Median of the two by nearest rank: rank 1 = 3h55m.
        assertThat(report.overall().restore().restored()).isEqualTo(2);
        assertThat(report.overall().restore().median()).isEqualTo(Duration.ofMinutes(3 * 60 + 55));
    }

    @Test
    void overallAFailureIsRestoredOnlyByADeploymentOfItsOwnRepository() {
        DeliveryReport report = compute(List.of(
                deploy("production", APP, "r1", "01T09:00", "01T09:00", "01T10:00"),
                deploy("production", WEB, "w1", "01T09:00", "01T09:00", "01T11:00"),
                deploy("production", APP, "r2", "01T09:00", "01T09:00", "01T14:00")), List.of(
                failure(APP, "r1", "DEPLOY", "SMOKE_FAILED", "production", "01T10:00")), null);

        // acme/web's deployment at 11:00 does not restore acme/app; r2 at 14:00 does: 4h, overall as per repository
        assertThat(report.overall().restore().median()).isEqualTo(hours(4));
        assertThat(report.repositories()).filteredOn(row -> row.repository().equals(APP))
                .singleElement().satisfies(row -> assertThat(row.dora().restore().median()).isEqualTo(hours(4)));
    }

    @Test
    void anEmptyPeriodHasNoFiguresButItsDays() {
        DeliveryReport report = compute(List.of(), List.of(), null);

        Dora dora = report.overall();
        assertThat(dora.frequency().deployments()).isZero();
        assertThat(dora.frequency().band()).isEqualTo(Band.LOW);
        assertThat(dora.leadTime().fromCommit()).isEqualTo(new Spread(0, null, null));
        assertThat(dora.leadTime().band()).isNull();
        assertThat(dora.failureRate().rate()).isNull();
        assertThat(dora.failureRate().band()).isNull();
        assertThat(dora.restore().noFailures()).isTrue();
        assertThat(report.repositories()).isEmpty();
        assertThat(report.days()).extracting(Day::deployments).containsExactly(0, 0);
        assertThat(report.pipeline().stages()).extracting(s -> s.spread().count()).containsExactly(0, 0, 0, 0);
        assertThat(report.pipeline().reasons()).isEmpty();
    }

    @Test
    void repositoryFilterKeepsOnlyThatRepositoryAndTheTableHasEachRepository() {
        List<DeploymentFact> deployments = List.of(
                deploy("production", APP, "a1", "01T09:00", "01T09:00", "01T10:00"),
                deploy("production", WEB, "w1", "01T09:00", "01T09:00", "01T09:30"),
                deploy("production", WEB, "w2", "01T09:00", "01T09:00", "02T09:00"));
        List<FailureFact> failures = List.of(failure(WEB, "w1", "BUILD", "BUILD_FAILED", null, "01T08:00"));

        DeliveryReport all = compute(deployments, failures, null);
        DeliveryReport web = compute(deployments, failures, WEB);

        assertThat(all.overall().frequency().deployments()).isEqualTo(3);
        assertThat(all.repositories()).extracting(DeliveryReport.RepositoryDora::repository).containsExactly(APP, WEB);
        assertThat(all.repositories().get(1).dora().frequency().deployments()).isEqualTo(2);
        // w1 30m, w2 24h: median rank 1 = 30m
        assertThat(web.overall().leadTime().fromCommit().median()).isEqualTo(Duration.ofMinutes(30));
        assertThat(web.overall().frequency().deployments()).isEqualTo(2);
        assertThat(web.repositories()).extracting(DeliveryReport.RepositoryDora::repository).containsExactly(WEB);
        assertThat(compute(deployments, failures, APP).pipeline().reasons()).isEmpty();
    }

    @Test
    void eventsOutsideThePeriodAreNotCounted() {
        DeliveryReport report = compute(List.of(
                deploy("production", APP, "r1", "01T09:00", "01T09:00", "03T00:00"),
                new DeploymentFact("production", APP, "r0", 1, FROM.minusSeconds(7200), FROM.minusSeconds(7200),
                        FROM.minusSeconds(1), false, null)), List.of(), null);

        assertThat(report.overall().frequency().deployments()).isZero();
    }

    @Test
    void pipelineFiguresTakeStageSpansAndCountFailureReasonsButNotCancellations() {
        Instant t = at("01T10:00");
        List<StageTimes> runs = List.of(
                new StageTimes(APP, "r1", 1, Map.of("CommitReceived", t, "ImageBuilt", t.plusSeconds(60),
                        "TestsPassed", t.plusSeconds(180), "ArtifactPublished", t.plusSeconds(200),
                        "Deployed", t.plusSeconds(500))),
                // a run that failed its tests: build and test only
                new StageTimes(APP, "r2", 1, Map.of("CommitReceived", t, "ImageBuilt", t.plusSeconds(120),
                        "TestsPassed", t.plusSeconds(130))),
                // built by a service whose clock runs behind the trigger's: counts as zero, not negative
                new StageTimes(APP, "r3", 1, Map.of("CommitReceived", t, "ImageBuilt", t.minusSeconds(5))));
        List<FailureFact> failures = List.of(
                failure(APP, "x1", "BUILD", "BUILD_FAILED", null, "01T10:00"),
                failure(APP, "x2", "BUILD", "BUILD_FAILED", null, "01T11:00"),
                failure(APP, "x3", "TEST", "TESTS_FAILED", null, "01T12:00"),
                failure(APP, "x4", "BUILD", "SUPERSEDED", null, "01T12:00"));

        DeliveryReport report = metrics.compute(new Facts(List.of(), failures, runs), FROM, TO, null);

        // build 0s, 60s, 120s: median rank 2 = 60s, p95 rank 3 = 120s; test 10s, 120s: rank 1 = 10s, rank 2 = 120s
        assertThat(report.pipeline().stages()).extracting(DeliveryReport.StageDuration::stage)
                .containsExactly("build", "test", "deliver", "deploy");
        assertThat(report.pipeline().stages().get(0).spread())
                .isEqualTo(new Spread(3, Duration.ofSeconds(60), Duration.ofSeconds(120)));
        assertThat(report.pipeline().stages().get(1).spread())
                .isEqualTo(new Spread(2, Duration.ofSeconds(10), Duration.ofSeconds(120)));
        assertThat(report.pipeline().stages().get(2).spread())
                .isEqualTo(new Spread(1, Duration.ofSeconds(20), Duration.ofSeconds(20)));
        assertThat(report.pipeline().stages().get(3).spread())
                .isEqualTo(new Spread(1, Duration.ofSeconds(300), Duration.ofSeconds(300)));
        assertThat(report.pipeline().reasons()).containsExactly(
                new ReasonCount("BUILD_FAILED", 2), new ReasonCount("TESTS_FAILED", 1));
    }

    @Test
    void aCommitDatedAfterItsDeploymentCountsAsZeroLeadTime() {
        DeliveryReport report = compute(List.of(
                deploy("production", APP, "r1", "01T12:00", "01T09:00", "01T10:00")), List.of(), null);

        assertThat(report.overall().leadTime().fromCommit().median()).isEqualTo(Duration.ZERO);
        assertThat(report.overall().leadTime().fromPush().median()).isEqualTo(hours(1));
    }

    @Test
    void refusesAnEmptyPeriod() {
        assertThatThrownBy(() -> metrics.compute(new Facts(List.of(), List.of(), List.of()), TO, TO, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Duration hours(long hours) {
        return Duration.ofHours(hours);
    }
}

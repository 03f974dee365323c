package io.slipway.dashboard.store;

import io.slipway.dashboard.domain.metrics.Facts;
import io.slipway.dashboard.domain.metrics.Facts.DeploymentFact;
import io.slipway.dashboard.domain.metrics.Facts.FailureFact;
import io.slipway.dashboard.domain.metrics.Facts.StageTimes;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JdbcDeliveryFactsTest {

    private static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-03-08T00:00:00Z");
    private static final Instant T = Instant.parse("2026-03-02T10:00:00Z");

    private final MetricsRows rows = new MetricsRows();
    private final JdbcDeliveryFacts facts = new JdbcDeliveryFacts(rows.dataSource());

    @Test
    void readsDeploymentsAndFailuresOfThePeriodWithTheirTimes() {
        rows.deployment("production", "acme/app", "r1", T.minusSeconds(3600), T.minusSeconds(600), T, null);
        rows.deployment("production", "acme/app", "r0", T, T, T.plusSeconds(60), "r1");
        rows.deployment("production", "acme/app", "old", T, T, FROM.minusMillis(1), null);
        rows.deployment("production", "acme/app", "late", T, T, TO, null);
        rows.failure("acme/app", "r1", "DEPLOY", "SMOKE_FAILED", "production", T.plusSeconds(61));
        rows.failure("acme/app", "r9", "BUILD", "BUILD_FAILED", null, FROM);
        rows.failure("acme/app", "r8", "BUILD", "BUILD_FAILED", null, TO);

        Facts read = facts.between(FROM, TO, null);

        assertThat(read.deployments()).containsExactlyInAnyOrder(
                new DeploymentFact("production", "acme/app", "r1", 1, T.minusSeconds(3600), T.minusSeconds(600), T,
                        false, null),
                new DeploymentFact("production", "acme/app", "r0", 1, T, T, T.plusSeconds(60), true, "r1"));
        assertThat(read.failures()).containsExactlyInAnyOrder(
                new FailureFact("acme/app", "r1", 1, "DEPLOY", "SMOKE_FAILED", "production", T.plusSeconds(61)),
                new FailureFact("acme/app", "r9", 1, "BUILD", "BUILD_FAILED", null, FROM));
    }

    @Test
    void readsTheFirstEventOfEachKindOfRunsTriggeredInThePeriod() {
        rows.run("acme/app", "r1", T);
        rows.event("r1", "CommitReceived", T);
        rows.event("r1", "ImageBuilt", T.plusSeconds(60));
        rows.event("r1", "Deployed", T.plusSeconds(300));
        rows.event("r1", "Deployed", T.plusSeconds(200));
        rows.event("r1", "BuildFailed", T.plusSeconds(400));
        rows.run("acme/app", "before", FROM.minusSeconds(1));
        rows.event("before", "CommitReceived", FROM.minusSeconds(1));

        Facts read = facts.between(FROM, TO, null);

        assertThat(read.runs()).containsExactly(new StageTimes("acme/app", "r1", 1, Map.of(
                "CommitReceived", T, "ImageBuilt", T.plusSeconds(60), "Deployed", T.plusSeconds(200))));
    }

    @Test
    void repositoryFilterAppliesToEveryFact() {
        rows.deployment("production", "acme/app", "a1", T, T, T, null);
        rows.deployment("production", "acme/web", "w1", T, T, T, null);
        rows.failure("acme/web", "w2", "BUILD", "BUILD_FAILED", null, T);
        rows.run("acme/web", "w1", T);
        rows.event("w1", "CommitReceived", T);
        rows.run("acme/app", "a1", T);
        rows.event("a1", "CommitReceived", T);

        Facts read = facts.between(FROM, TO, "acme/app");

        assertThat(read.deployments()).extracting(DeploymentFact::runId).containsExactly("a1");
        assertThat(read.failures()).isEmpty();
        assertThat(read.runs()).extracting(StageTimes::runId).containsExactly("a1");
    }
}

package io.slipway.tester.messaging;

import io.slipway.events.ArtifactKind;
import io.slipway.events.BuildFailed;
import io.slipway.events.Commit;
import io.slipway.events.DeployIntent;
import io.slipway.events.ImageBuilt;
import io.slipway.events.ImageReference;
import io.slipway.events.Repository;
import io.slipway.events.RunContext;
import io.slipway.events.SmokeCheck;
import io.slipway.events.TestReport;
import io.slipway.events.TestsPassed;
import io.slipway.tester.domain.JUnitXml;
import io.slipway.tester.domain.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code TestsPassed} carries on from {@code ImageBuilt} unchanged, whatever the tester ran. */
class EventMappingTest {

    private static final DeployIntent INTENT = DeployIntent.newBuilder().setEnvironments(List.of("staging", "production"))
            .setSmoke(List.of(SmokeCheck.newBuilder().setPath("/health").build(),
                    SmokeCheck.newBuilder().setPath("/").setStatus(203).setContains("Hello").build()))
            .build();

    private static ImageBuilt built(DeployIntent deploy, ArtifactKind kind) {
        RunContext run = RunContext.newBuilder().setRunId("run-1").setAttempt(1)
                .setRepository(Repository.newBuilder().setFullName("org/app")
                        .setCloneUrl("https://git.example.org/org/app.git").build())
                .setCommit(Commit.newBuilder().setSha("a".repeat(40)).setRef("refs/heads/main").setMessage("m")
                        .setAuthorName("Ada").setTimestamp(Instant.EPOCH).build())
                .setTriggeredAt(Instant.EPOCH).build();
        return ImageBuilt.newBuilder().setEventId("e-1").setRun(run)
                .setImage(ImageReference.newBuilder().setRegistry("registry.local").setRepository("staging/org/app")
                        .setTag("a".repeat(40)).setDigest("sha256:" + "b".repeat(64)).build())
                .setKind(kind).setBuildDurationMillis(1).setCacheHit(false).setEmittedAt(Instant.EPOCH)
                .setDeploy(deploy).build();
    }

    private static Outcome.Passed passed() {
        return new Outcome.Passed(List.of(), null, 0);
    }

    @Test
    void testsPassedCarriesTheDeployIntentOfTheImageUnchanged() {
        for (ArtifactKind kind : ArtifactKind.values()) {
            TestsPassed event = (TestsPassed) EventMapping.outcome(built(INTENT, kind), passed(), Instant.EPOCH);

            assertThat(event.getDeploy()).as(kind.name()).isEqualTo(INTENT);
            assertThat(event.getKind()).isEqualTo(kind);
        }
    }

    @Test
    void testsPassedHasNoDeployIntentWhenTheImageHasNone() {
        TestsPassed event = (TestsPassed) EventMapping.outcome(built(null, ArtifactKind.CONTAINER), passed(),
                Instant.EPOCH);

        assertThat(event.getDeploy()).isNull();
    }

    @Test
    void aFailedTestIsBuildFailedWhateverTheIntent() {
        Outcome.Failed failed = new Outcome.Failed(Outcome.Reason.TESTS_FAILED, "1 test failed", "", false, List.of(),
                null);

        assertThat(EventMapping.outcome(built(INTENT, ArtifactKind.CONTAINER), failed, Instant.EPOCH))
                .isInstanceOfSatisfying(BuildFailed.class, event -> assertThat(event.getReasonCode())
                        .isEqualTo("TESTS_FAILED"));
    }

    @Test
    void aReportOfAFailedRunIsATestReportOfItsRunMarkedNotPassed() {
        Outcome.Failed failed = new Outcome.Failed(Outcome.Reason.TESTS_FAILED, "1 test failed", "", false, List.of(),
                null, new JUnitXml.Bounded("<testsuites/>", true));

        TestReport report = EventMapping.report(built(INTENT, ArtifactKind.CONTAINER), failed, Instant.EPOCH);

        assertThat(report.getRun().getRunId()).isEqualTo("run-1");
        assertThat(report.getPassed()).isFalse();
        assertThat(report.getJunitXml()).isEqualTo("<testsuites/>");
        assertThat(report.getTruncated()).isTrue();
        assertThat(report.getEventId()).isNotBlank();
    }
}

package io.slipway.tools;

import io.slipway.events.ArtifactKind;
import io.slipway.events.DeploymentRecord;
import io.slipway.events.EnvironmentState;
import io.slipway.events.PendingPromotion;
import io.slipway.events.RunContext;
import io.slipway.schemas.SampleEvents;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EnvironmentsViewTest {

    static final Instant DEPLOYED_AT = SampleEvents.TRIGGERED_AT.plusSeconds(90);

    private final EnvironmentsView view = new EnvironmentsView();

    @Test
    void listsWhatRunsWhereWithItsCommitAndTheApprovalAPromotionWaitsFor() {
        view.apply("staging|" + SampleEvents.REPOSITORY, staging());
        view.apply("production|" + SampleEvents.REPOSITORY, production(true, null, DEPLOYED_AT));

        List<String> lines = print(DEPLOYED_AT.plusSeconds(5)).lines().toList();

        assertThat(lines.get(0)).startsWith("ENVIRONMENT").contains("REPOSITORY", "DIGEST", "COMMIT", "SINCE", "URL");
        assertThat(lines.get(1)).startsWith("production").contains(SampleEvents.REPOSITORY).contains(" - ");
        assertThat(lines.get(2)).startsWith("staging").contains(SampleEvents.REPOSITORY,
                "sha256:b5b2b2c507a0", SampleEvents.SHA.substring(0, 12) + " main", "2025-03-14T09:28:31Z",
                "http://127.0.0.1:18080/").doesNotContain(SampleEvents.DIGEST);
        assertThat(lines.get(3)).isEqualTo("production ← run " + SampleEvents.run().getRunId() + " (sha256:b5b2b2c507a0, "
                + SampleEvents.SHA.substring(0, 12) + " main) from staging waits for approval: ./slipway approve "
                + SampleEvents.run().getRunId() + " production");
        assertThat(lines).hasSize(4);
    }

    @Test
    void aPromotionInItsSoakTimeSaysUntilWhenAndOnceOverThatItIsDue() {
        Instant soakEnd = DEPLOYED_AT.plus(Duration.ofMinutes(10));
        PendingPromotion approved = production(true, "ops", soakEnd).getPending();
        PendingPromotion unapproved = production(true, null, soakEnd).getPending();

        assertThat(EnvironmentsView.waiting("production", approved, DEPLOYED_AT))
                .endsWith("from staging waits: soak until 2025-03-14T09:38:31Z, approved by ops");
        assertThat(EnvironmentsView.waiting("production", unapproved, DEPLOYED_AT))
                .endsWith("waits for approval (and its soak until 2025-03-14T09:38:31Z): ./slipway approve "
                        + SampleEvents.run().getRunId() + " production");
        assertThat(EnvironmentsView.waiting("production", approved, soakEnd.plusSeconds(1)))
                .endsWith("from staging is due now, approved by ops");
    }

    @Test
    void theLatestStateOfAKeyWinsAndATombstoneRemovesIt() {
        view.apply("production|" + SampleEvents.REPOSITORY, production(true, null, DEPLOYED_AT));
        view.apply("production|" + SampleEvents.REPOSITORY, EnvironmentState.newBuilder(staging())
                .setEnvironment("production").build());
        view.apply("staging|" + SampleEvents.REPOSITORY, staging());
        view.apply("staging|" + SampleEvents.REPOSITORY, null);

        assertThat(view.states()).singleElement().satisfies(state -> {
            assertThat(state.getEnvironment()).isEqualTo("production");
            assertThat(state.getPending()).isNull();
        });
        assertThat(print(DEPLOYED_AT)).doesNotContain("waits").doesNotContain("staging ");
    }

    @Test
    void nothingDeployedSaysSo() {
        assertThat(print(DEPLOYED_AT)).isEqualTo("No deployments yet.\n");
    }

    @Test
    void aVmImageIdIsShownWhole() {
        assertThat(EnvironmentsView.shortDigest("6f1a2c3e-0f4b-4a2d-9d3e-3b1f0c7a9e21"))
                .isEqualTo("6f1a2c3e-0f4b-4a2d-9d3e-3b1f0c7a9e21");
    }

    /** The sample run deployed to staging. */
    static EnvironmentState staging() {
        return EnvironmentState.newBuilder().setEnvironment("staging").setRepository(SampleEvents.REPOSITORY)
                .setCurrent(record(SampleEvents.run())).setUpdatedAt(DEPLOYED_AT).build();
    }

    /** Production with nothing deployed yet and the sample run waiting to go there. */
    static EnvironmentState production(boolean approvalRequired, String approvedBy, Instant notBefore) {
        return EnvironmentState.newBuilder().setEnvironment("production").setRepository(SampleEvents.REPOSITORY)
                .setPending(PendingPromotion.newBuilder().setArtifact(record(SampleEvents.run()))
                        .setFromEnvironment("staging").setNotBefore(notBefore).setApprovalRequired(approvalRequired)
                        .setApprovedBy(approvedBy).setWaitingSince(DEPLOYED_AT).build())
                .setUpdatedAt(DEPLOYED_AT).build();
    }

    static DeploymentRecord record(RunContext run) {
        return DeploymentRecord.newBuilder().setRun(run).setKind(ArtifactKind.CONTAINER).setRegistry("127.0.0.1:5000")
                .setRepository("release/hello-service").setDigest(SampleEvents.DIGEST)
                .setUrl("http://127.0.0.1:18080/").setDeployedAt(DEPLOYED_AT).build();
    }

    private String print(Instant now) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        view.print(new PrintStream(out, true, StandardCharsets.UTF_8), now);
        return out.toString(StandardCharsets.UTF_8);
    }
}

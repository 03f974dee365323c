package io.slipway.tools;

import io.slipway.events.BuildFailed;
import io.slipway.events.Stage;
import io.slipway.schemas.SampleEvents;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RunsViewTest {

    private final RunsView view = new RunsView();

    @Test
    void followsARunThroughEveryStageToItsPublication() {
        view.apply(SampleEvents.commitReceived());
        view.apply(SampleEvents.imageBuilt());
        view.apply(SampleEvents.testsPassed());
        RunSummary run = view.apply(SampleEvents.artifactPublished()).orElseThrow();

        assertThat(run.stage()).isEqualTo("DELIVER");
        assertThat(run.outcome()).isEqualTo("PUBLISHED");
        assertThat(run.detail()).contains(SampleEvents.DIGEST).contains("latest");
        assertThat(run.duration()).isEqualTo(Duration.ofSeconds(75));
        assertThat(view.recent(10)).hasSize(1);
    }

    @Test
    void eventsReadOutOfPipelineOrderNeverMoveARunBackwards() {
        view.apply(SampleEvents.artifactPublished());
        view.apply(SampleEvents.testsPassed());
        RunSummary run = view.apply(SampleEvents.commitReceived()).orElseThrow();

        assertThat(run.outcome()).isEqualTo("PUBLISHED");
        assertThat(run.stage()).isEqualTo("DELIVER");
    }

    @Test
    void aFailureEndsTheRunAtItsStageAndSupersededIsNotAFailure() {
        view.apply(SampleEvents.imageBuilt());
        RunSummary failed = view.apply(SampleEvents.buildFailed()).orElseThrow();
        BuildFailed superseded = BuildFailed.newBuilder(SampleEvents.buildFailed()).setStage(Stage.BUILD)
                .setReasonCode("SUPERSEDED").setMessage("a newer commit of main is being built").build();
        superseded.getRun().setAttempt(2);
        RunSummary second = view.apply(superseded).orElseThrow();

        assertThat(failed.outcome()).isEqualTo("FAILED");
        assertThat(failed.detail()).startsWith("BUILD_ERROR");
        assertThat(second.outcome()).isEqualTo("SUPERSEDED");
        assertThat(view.run(SampleEvents.run().getRunId().substring(0, 8))).extracting(RunSummary::attempt)
                .containsExactly(1, 2);
    }
}

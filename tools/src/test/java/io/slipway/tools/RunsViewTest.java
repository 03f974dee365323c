package io.slipway.tools;

import io.slipway.events.BuildFailed;
import io.slipway.events.ChangeRequest;
import io.slipway.events.Commit;
import io.slipway.events.CommitReceived;
import io.slipway.events.Deployed;
import io.slipway.events.ImageBuilt;
import io.slipway.events.RunContext;
import io.slipway.events.Stage;
import io.slipway.events.TestsPassed;
import io.slipway.schemas.RunIds;
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
        RunSummary tested = view.apply(SampleEvents.testsPassed()).orElseThrow();
        RunSummary run = view.apply(SampleEvents.artifactPublished()).orElseThrow();

        assertThat(tested.outcome()).as("a push's run goes on to its delivery").isEqualTo("RUNNING");
        assertThat(tested.finished()).isFalse();
        assertThat(run.stage()).isEqualTo("DELIVER");
        assertThat(run.outcome()).isEqualTo("PUBLISHED");
        assertThat(run.succeeded()).isTrue();
        assertThat(run.subject()).isEqualTo("main");
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

    @Test
    void aPullRequestsRunShowsTheRequestAndPassesAtTestSinceItIsNeverDelivered() {
        RunContext run = requestRun("pull", 12, "main");

        view.apply(CommitReceived.newBuilder(SampleEvents.commitReceived()).setRun(run).build());
        view.apply(ImageBuilt.newBuilder(SampleEvents.imageBuilt()).setRun(run).build());
        RunSummary passed = view.apply(TestsPassed.newBuilder(SampleEvents.testsPassed()).setRun(run).build())
                .orElseThrow();
        RunSummary lateBuild = view.apply(ImageBuilt.newBuilder(SampleEvents.imageBuilt()).setRun(run).build())
                .orElseThrow();

        assertThat(passed.subject()).isEqualTo("#12 → main");
        assertThat(passed.stage()).isEqualTo("TEST");
        assertThat(passed.outcome()).isEqualTo("PASSED");
        assertThat(passed.finished()).isTrue();
        assertThat(passed.succeeded()).isTrue();
        assertThat(passed.detail()).startsWith("19 checks passed");
        assertThat(lateBuild).isEqualTo(passed);
    }

    @Test
    void aMergeRequestIsShownWithItsExclamationMarkAndTargetBranch() {
        RunContext run = requestRun("merge", 7, "develop");

        RunSummary received = view.apply(CommitReceived.newBuilder(SampleEvents.commitReceived()).setRun(run).build())
                .orElseThrow();

        assertThat(received.subject()).isEqualTo("!7 → develop");
        assertThat(received.outcome()).isEqualTo("RUNNING");
    }

    @Test
    void supersededCancelledAndIgnoredRunsEndAsSuchAndNotAsFailed() {
        RunContext run = requestRun("pull", 12, "main");
        String[] reasons = {"SUPERSEDED", "CANCELLED", "IGNORED", "TEST_FAILED"};
        for (int attempt = 1; attempt <= reasons.length; attempt++) {
            RunContext attemptRun = RunContext.newBuilder(run).setAttempt(attempt).build();
            view.apply(BuildFailed.newBuilder(SampleEvents.buildFailed()).setRun(attemptRun).setStage(Stage.TEST)
                    .setReasonCode(reasons[attempt - 1]).setMessage("request #12: " + reasons[attempt - 1]).build());
        }

        assertThat(view.run(run.getRunId())).extracting(RunSummary::outcome)
                .containsExactly("SUPERSEDED", "CANCELLED", "IGNORED", "FAILED");
        assertThat(view.run(run.getRunId())).allSatisfy(r -> {
            assertThat(r.finished()).isTrue();
            assertThat(r.succeeded()).isFalse();
            assertThat(r.subject()).isEqualTo("#12 → main");
        });
    }

    @Test
    void aPushIgnoredByItsPathFiltersShowsItsTagAndIsNotAFailure() {
        RunContext tag = RunContext.newBuilder(SampleEvents.run())
                .setCommit(Commit.newBuilder(SampleEvents.run().getCommit()).setRef("refs/tags/v1.4.0").build())
                .build();

        RunSummary ignored = view.apply(BuildFailed.newBuilder(SampleEvents.buildFailed()).setRun(tag)
                .setReasonCode("IGNORED").setMessage("no changed path matches the path filters").build()).orElseThrow();

        assertThat(ignored.subject()).isEqualTo("v1.4.0");
        assertThat(ignored.outcome()).isEqualTo("IGNORED");
        assertThat(ignored.stage()).isEqualTo("BUILD");
    }

    @Test
    void aRunOfARequestRefWithoutItsRequestIsStillARequestsRun() {
        RunContext run = RunContext.newBuilder(SampleEvents.run())
                .setCommit(Commit.newBuilder(SampleEvents.run().getCommit()).setRef("refs/pull/3/head").build())
                .build();

        RunSummary passed = view.apply(TestsPassed.newBuilder(SampleEvents.testsPassed()).setRun(run).build())
                .orElseThrow();

        assertThat(passed.subject()).isEqualTo("refs/pull/3/head");
        assertThat(passed.outcome()).isEqualTo("PASSED");
    }

    @Test
    void aPublishedRunThatWasDeployedShowsEveryEnvironmentItReached() {
        view.apply(SampleEvents.artifactPublished());
        RunSummary staging = view.apply(SampleEvents.deployed()).orElseThrow();
        RunSummary production = view.apply(deployedTo("production", 600)).orElseThrow();

        assertThat(staging.stage()).isEqualTo("DEPLOY");
        assertThat(staging.outcomeWithEnvironments()).isEqualTo("DEPLOYED staging");
        assertThat(production.outcomeWithEnvironments()).isEqualTo("DEPLOYED staging, production");
        assertThat(production.detail()).startsWith("deployed to production: 127.0.0.1:5000/release/hello-service@"
                + SampleEvents.DIGEST);
        assertThat(production.succeeded()).isTrue();
        assertThat(production.published()).isTrue();
        assertThat(production.duration()).isEqualTo(Duration.ofSeconds(600));
    }

    @Test
    void aPublicationReadAfterTheDeploymentDoesNotMoveTheRunBack() {
        view.apply(SampleEvents.deployed());
        RunSummary run = view.apply(SampleEvents.artifactPublished()).orElseThrow();

        assertThat(run.stage()).isEqualTo("DEPLOY");
        assertThat(run.outcomeWithEnvironments()).isEqualTo("DEPLOYED staging");
    }

    @Test
    void aFailureAtDeployShowsItsEnvironmentWhicheverIsReadFirst() {
        BuildFailed smokeFailed = BuildFailed.newBuilder(SampleEvents.buildFailed()).setStage(Stage.DEPLOY)
                .setEnvironment("staging").setReasonCode("SMOKE_FAILED")
                .setMessage("GET / answered 500; staging was rolled back").build();

        view.apply(SampleEvents.artifactPublished());
        view.apply(SampleEvents.deployed());
        RunSummary failedAfter = view.apply(smokeFailed).orElseThrow();
        RunsView other = new RunsView();
        other.apply(smokeFailed);
        RunSummary failedBefore = other.apply(SampleEvents.deployed()).orElseThrow();

        for (RunSummary failed : java.util.List.of(failedAfter, failedBefore)) {
            assertThat(failed.stage()).isEqualTo("DEPLOY");
            assertThat(failed.outcome()).isEqualTo("FAILED");
            assertThat(failed.succeeded()).isFalse();
            assertThat(failed.published()).as("it was published before its deployment failed").isTrue();
        }
        assertThat(failedAfter.detail()).isEqualTo("staging: SMOKE_FAILED: GET / answered 500; staging was rolled back");
    }

    @Test
    void aRollbackShowsOnTheRunItRestoredWithoutLengtheningIt() {
        view.apply(SampleEvents.artifactPublished());
        RunSummary deployed = view.apply(SampleEvents.deployed()).orElseThrow();
        Deployed rollback = Deployed.newBuilder(deployedTo("staging", 3600)).setRollback(true)
                .setRolledBackRunId("a-later-run").setReason("MANUAL by ops").build();

        RunSummary restored = view.apply(rollback).orElseThrow();

        assertThat(restored.outcomeWithEnvironments()).isEqualTo("DEPLOYED staging");
        assertThat(restored.detail()).startsWith("restored in staging by a rollback of run a-later-run (MANUAL by ops)");
        assertThat(restored.duration()).isEqualTo(deployed.duration());
    }

    /** The sample run's deployment to {@code environment}, {@code seconds} after it was triggered. */
    private static Deployed deployedTo(String environment, int seconds) {
        return Deployed.newBuilder(SampleEvents.deployed()).setEnvironment(environment)
                .setEmittedAt(SampleEvents.run().getTriggeredAt().plusSeconds(seconds)).build();
    }

    /** The sample run as a run of request {@code number} ({@code pull} or {@code merge}) into {@code target}. */
    static RunContext requestRun(String kind, int number, String target) {
        RunContext sample = SampleEvents.run();
        String ref = ("merge".equals(kind) ? "refs/merge-requests/" : "refs/pull/") + number + "/head";
        return RunContext.newBuilder(sample)
                .setRunId(RunIds.runId(SampleEvents.REPOSITORY, SampleEvents.SHA, ref))
                .setCommit(Commit.newBuilder(sample.getCommit()).setRef(ref).build())
                .setRequest(ChangeRequest.newBuilder().setNumber(number).setKind(kind).setSourceBranch("feature/login")
                        .setTargetBranch(target).setSourceRepository("mona/hello-service").setAuthor("mona")
                        .setFromFork(true).setHeadSha(SampleEvents.SHA).setMergeResult(false)
                        .setWebUrl("https://git.example.com/" + SampleEvents.REPOSITORY + "/pull/" + number).build())
                .build();
    }
}

package io.slipway.builder.messaging;

import io.slipway.builder.domain.BuildOutcome;
import io.slipway.builder.domain.BuildRequest;
import io.slipway.events.ArtifactKind;
import io.slipway.events.BuildFailed;
import io.slipway.events.ChangeRequest;
import io.slipway.events.CommitReceived;
import io.slipway.events.DeployIntent;
import io.slipway.events.ImageBuilt;
import io.slipway.events.ImageReference;
import io.slipway.events.RunContext;
import io.slipway.events.SmokeCheck;
import io.slipway.events.Stage;
import io.slipway.events.SuiteFile;
import io.slipway.schemas.RunIds;
import org.apache.avro.specific.SpecificRecord;

import java.time.Instant;
import java.util.Map;

/** Maps {@code CommitReceived} to a build request and a build outcome to {@code ImageBuilt} or {@code BuildFailed}. */
final class BuildMapping {

    private BuildMapping() {
    }

    static BuildRequest toRequest(CommitReceived event, int partition, long offset) {
        RunContext run = event.getRun();
        return new BuildRequest(run.getRunId(), run.getRepository().getFullName(), run.getRepository().getCloneUrl(),
                run.getRepository().getWebUrl(), run.getCommit().getSha(), run.getCommit().getRef(), run.getTriggeredAt(),
                partition, offset, run.getCommit().getBefore(), toChange(run.getRequest()), run.getAttempt());
    }

    private static BuildRequest.ChangeRequest toChange(ChangeRequest request) {
        if (request == null) {
            return null;
        }
        return new BuildRequest.ChangeRequest(request.getNumber(), "merge".equals(request.getKind())
                ? BuildRequest.ChangeRequest.Kind.MERGE : BuildRequest.ChangeRequest.Kind.PULL,
                request.getTargetBranch(), request.getSourceRepository(), request.getFromFork(),
                request.getMergeResult());
    }

    static SpecificRecord toEvent(CommitReceived commit, BuildOutcome outcome, Instant now) {
        if (outcome instanceof BuildOutcome.Built built) {
            return ImageBuilt.newBuilder()
                    .setEventId(RunIds.newEventId())
                    .setRun(commit.getRun())
                    .setImage(ImageReference.newBuilder().setRegistry(built.image().registry())
                            .setRepository(built.image().repository()).setTag(built.image().tag())
                            .setDigest(built.image().digest()).build())
                    .setKind(built.kind() == BuildOutcome.Kind.VM ? ArtifactKind.VM : ArtifactKind.CONTAINER)
                    .setBuildDurationMillis(built.durationMillis())
                    .setCacheHit(built.cacheHit())
                    .setTestSuites(built.testSuites().stream()
                            .map(s -> SuiteFile.newBuilder().setPath(s.path()).setContent(s.content()).build()).toList())
                    .setEmittedAt(now)
                    .setDeploy(toIntent(built.deploy()))
                    .setLabels(Map.copyOf(built.labels()))
                    .build();
        }
        BuildOutcome.Failed failed = (BuildOutcome.Failed) outcome;
        return BuildFailed.newBuilder()
                .setEventId(RunIds.newEventId())
                .setRun(commit.getRun())
                .setStage(Stage.BUILD)
                .setReasonCode(failed.reason().name())
                .setMessage(failed.message())
                .setLogExcerpt(failed.logExcerpt())
                .setRetryable(failed.retryable())
                .setEmittedAt(now)
                .build();
    }

    /** The commit's {@code deploy:} block as the deployer reads it; null stays null (the file has none). */
    static DeployIntent toIntent(io.slipway.builder.domain.DeployIntent intent) {
        if (intent == null) {
            return null;
        }
        return DeployIntent.newBuilder()
                .setEnvironments(intent.environments())
                .setSmoke(intent.smoke().stream().map(check -> SmokeCheck.newBuilder().setPath(check.path())
                        .setStatus(check.status()).setContains(check.contains()).build()).toList())
                .build();
    }
}

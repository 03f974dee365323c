package io.slipway.deployer.messaging;

import io.slipway.common.requests.ChangeRequests;
import io.slipway.common.text.TerminalText;
import io.slipway.deployer.domain.Artifact;
import io.slipway.deployer.domain.DeploymentEvents;
import io.slipway.deployer.domain.Intent;
import io.slipway.deployer.domain.Placement;
import io.slipway.deployer.domain.Promotion;
import io.slipway.deployer.domain.Publication;
import io.slipway.deployer.domain.Run;
import io.slipway.deployer.domain.Slot;
import io.slipway.deployer.domain.SmokeCheck;
import io.slipway.events.ArtifactKind;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.BuildFailed;
import io.slipway.events.DeployIntent;
import io.slipway.events.DeployTargetKind;
import io.slipway.events.Deployed;
import io.slipway.events.DeploymentRecord;
import io.slipway.events.EnvironmentState;
import io.slipway.events.PendingPromotion;
import io.slipway.events.RunContext;
import io.slipway.events.Stage;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Maps between the deployer's Avro events and state and its domain records. Event ids are name-based: a
 * {@code Deployed} on environment, run, digest and, for a rollback, the run taken out, a {@code BuildFailed} on run,
 * attempt, environment and reason, so a redelivered deployment emits the same ids.
 */
final class EventMapping {

    private static final int MAX_EXCERPT = 8 * 1024;

    private EventMapping() {
    }

    static Publication toPublication(ArtifactPublished event) {
        DeployIntent deploy = event.getDeploy();
        Intent intent = deploy == null ? Intent.NONE
                : new Intent(List.copyOf(deploy.getEnvironments()), toChecks(deploy.getSmoke()));
        return new Publication(toRun(event.getRun()), new Artifact(toKind(event.getKind()), event.getRegistry(),
                event.getRepository(), event.getDigest()), intent);
    }

    static Run toRun(RunContext run) {
        String ref = run.getCommit().getRef();
        return new Run(run.getRunId(), run.getRepository().getFullName(), run.getCommit().getSha(), ref,
                run.getRequest() != null || ChangeRequests.isRequestRef(ref), run.getAttempt(),
                run.getAcceptedSequence(), run);
    }

    static Deployed toDeployed(DeploymentEvents.Change change) {
        Placement now = change.now();
        return Deployed.newBuilder()
                .setEventId(deployedId(change.environment(), now.run(), now.artifact().digest(),
                        change.rollback() && change.previous() != null ? change.previous().run() : null))
                .setRun((RunContext) now.run().context())
                .setEnvironment(change.environment())
                .setTargetKind(DeployTargetKind.valueOf(change.targetKind().name()))
                .setKind(ArtifactKind.valueOf(now.artifact().kind().name()))
                .setRegistry(now.artifact().registry())
                .setRepository(now.artifact().repository())
                .setDigest(now.artifact().digest())
                .setPreviousDigest(change.previous() == null ? null : change.previous().artifact().digest())
                .setUrl(now.url())
                .setRollback(change.rollback())
                .setRolledBackRunId(change.rolledBackRunId())
                .setReason(change.reason())
                .setEmittedAt(change.at())
                .build();
    }

    static BuildFailed toBuildFailed(DeploymentEvents.Failure failure) {
        RunContext run = (RunContext) failure.run().context();
        String excerpt = TerminalText.strip(failure.logExcerpt());
        return BuildFailed.newBuilder()
                .setEventId(uuid("deployer-service", "BuildFailed", run.getRunId(), String.valueOf(run.getAttempt()),
                        String.valueOf(failure.environment()), failure.reason()))
                .setRun(run)
                .setStage(Stage.DEPLOY)
                .setReasonCode(failure.reason())
                .setMessage(failure.message())
                .setLogExcerpt(excerpt == null || excerpt.length() <= MAX_EXCERPT ? excerpt
                        : excerpt.substring(excerpt.length() - MAX_EXCERPT))
                .setRetryable(false)
                .setEmittedAt(failure.at())
                .setEnvironment(failure.environment())
                .build();
    }

    /**
     * The id of the Deployed event of one change: environment, run and its attempt, digest and, for a rollback, the
     * run (and attempt) it took out, so a second rollback to the same run, or a re-run deployed again, has its own id.
     */
    static String deployedId(String environment, Run run, String digest, Run takenOut) {
        return uuid("deployer-service", "Deployed", environment, run.runId(), String.valueOf(run.attempt()), digest,
                String.valueOf(takenOut != null),
                takenOut == null ? "" : takenOut.runId() + "#" + takenOut.attempt());
    }

    static EnvironmentState toState(Slot slot) {
        return EnvironmentState.newBuilder()
                .setEnvironment(slot.environment())
                .setRepository(slot.repository())
                .setCurrent(slot.current() == null ? null : toRecord(slot.current()))
                .setHistory(slot.history().stream().map(EventMapping::toRecord).toList())
                .setPending(slot.pending() == null ? null : toPending(slot.pending()))
                .setUpdatedAt(slot.updatedAt())
                .build();
    }

    static Slot toSlot(EnvironmentState state) {
        PendingPromotion pending = state.getPending();
        return new Slot(state.getEnvironment(), state.getRepository(),
                state.getCurrent() == null ? null : toPlacement(state.getCurrent()),
                state.getHistory().stream().map(EventMapping::toPlacement).toList(),
                pending == null ? null : new Promotion(toPlacement(pending.getArtifact()), pending.getFromEnvironment(),
                        toChecks(pending.getSmoke()), pending.getNotBefore(), pending.getApprovalRequired(),
                        pending.getApprovedBy(), pending.getWaitingSince()),
                state.getUpdatedAt());
    }

    private static DeploymentRecord toRecord(Placement placement) {
        return DeploymentRecord.newBuilder()
                .setRun((RunContext) placement.run().context())
                .setKind(ArtifactKind.valueOf(placement.artifact().kind().name()))
                .setRegistry(placement.artifact().registry())
                .setRepository(placement.artifact().repository())
                .setDigest(placement.artifact().digest())
                .setUrl(placement.url())
                .setRollback(placement.rollback())
                .setDeployedAt(placement.deployedAt())
                .build();
    }

    private static Placement toPlacement(DeploymentRecord record) {
        return new Placement(toRun(record.getRun()), new Artifact(toKind(record.getKind()), record.getRegistry(),
                record.getRepository(), record.getDigest()), record.getUrl(), record.getRollback(),
                record.getDeployedAt());
    }

    private static PendingPromotion toPending(Promotion promotion) {
        return PendingPromotion.newBuilder()
                .setArtifact(toRecord(promotion.artifact()))
                .setFromEnvironment(promotion.fromEnvironment())
                .setSmoke(promotion.smoke().stream().map(c -> io.slipway.events.SmokeCheck.newBuilder()
                        .setPath(c.path()).setStatus(c.status()).setContains(c.contains()).build()).toList())
                .setNotBefore(promotion.notBefore())
                .setApprovalRequired(promotion.approvalRequired())
                .setApprovedBy(promotion.approvedBy())
                .setWaitingSince(promotion.waitingSince())
                .build();
    }

    private static List<SmokeCheck> toChecks(List<io.slipway.events.SmokeCheck> checks) {
        return checks.stream().map(c -> new SmokeCheck(c.getPath(), c.getStatus(), c.getContains())).toList();
    }

    private static Artifact.Kind toKind(ArtifactKind kind) {
        return kind == ArtifactKind.VM ? Artifact.Kind.VM : Artifact.Kind.CONTAINER;
    }

    private static String uuid(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("\u0000", parts).getBytes(StandardCharsets.UTF_8)).toString();
    }
}

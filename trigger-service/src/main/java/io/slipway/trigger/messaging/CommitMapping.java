package io.slipway.trigger.messaging;

import io.slipway.events.ChangeRequest;
import io.slipway.events.Commit;
import io.slipway.events.CommitReceived;
import io.slipway.events.Repository;
import io.slipway.events.RunContext;
import io.slipway.schemas.RunIds;
import io.slipway.trigger.domain.Push;
import io.slipway.trigger.domain.RequestEvent;

import java.time.Instant;

/** Maps between the trigger's {@link Push} and the {@code CommitReceived} event. */
final class CommitMapping {

    /** The attempt number of an intake candidate; the partition owner assigns the real one. */
    static final int UNASSIGNED_ATTEMPT = 0;

    /**
     * The attempt of an intake candidate that asks for the next attempt of its run (a manual re-run, a reopened
     * request); the intake topic is the trigger's own, so the marker never reaches another service.
     */
    static final int NEW_ATTEMPT = -1;

    /** The accepted sequence of an intake candidate; the partition owner assigns the real one. */
    static final long UNASSIGNED_SEQUENCE = 0;

    private CommitMapping() {
    }

    static CommitReceived toEvent(Push push, String runId, int attempt, Instant triggeredAt, long sequence,
                                  Instant emittedAt) {
        RunContext run = RunContext.newBuilder()
                .setRunId(runId)
                .setAttempt(attempt)
                .setRepository(Repository.newBuilder().setFullName(push.repository()).setCloneUrl(push.cloneUrl())
                        .setWebUrl(push.webUrl()).build())
                .setCommit(Commit.newBuilder().setSha(push.sha()).setRef(push.ref())
                        .setMessage(push.message() == null ? "" : push.message())
                        .setAuthorName(push.authorName() == null ? "" : push.authorName())
                        .setAuthorEmail(push.authorEmail()).setTimestamp(push.timestamp())
                        .setBefore(push.before()).build())
                .setTriggeredAt(triggeredAt)
                .setAcceptedSequence(sequence)
                .setRequest(push.request() == null ? null : toEvent(push.request()))
                .build();
        return CommitReceived.newBuilder()
                .setEventId(RunIds.newEventId())
                .setRun(run)
                .setSource(push.source())
                .setDeliveryId(push.deliveryId())
                .setEmittedAt(emittedAt)
                .build();
    }

    static Push toPush(CommitReceived event) {
        return toPush(event.getRun(), event.getSource(), event.getDeliveryId());
    }

    /** The push of a run, as {@code source} delivered it under {@code deliveryId}. */
    static Push toPush(RunContext run, String source, String deliveryId) {
        Commit commit = run.getCommit();
        return new Push(source, deliveryId, run.getRepository().getFullName(),
                run.getRepository().getCloneUrl(), run.getRepository().getWebUrl(), commit.getRef(), commit.getSha(),
                commit.getMessage(), commit.getAuthorName(), commit.getAuthorEmail(), commit.getTimestamp(), false,
                commit.getBefore(), run.getRequest() == null ? null : toRequest(run.getRequest()));
    }

    static ChangeRequest toEvent(Push.Request request) {
        return ChangeRequest.newBuilder()
                .setNumber(request.number())
                .setKind(request.kind().contractName())
                .setSourceBranch(request.sourceBranch())
                .setTargetBranch(request.targetBranch())
                .setSourceRepository(request.sourceRepository())
                .setAuthor(request.author())
                .setFromFork(request.fromFork())
                .setHeadSha(request.headSha())
                .setMergeResult(request.mergeResult())
                .setWebUrl(request.webUrl())
                .build();
    }

    static Push.Request toRequest(ChangeRequest request) {
        RequestEvent.Kind kind = RequestEvent.Kind.MERGE.contractName().equals(request.getKind())
                ? RequestEvent.Kind.MERGE : RequestEvent.Kind.PULL;
        return new Push.Request(request.getNumber(), kind, request.getSourceBranch(), request.getTargetBranch(),
                request.getSourceRepository(), request.getFromFork(), request.getHeadSha(), request.getAuthor(),
                request.getMergeResult(), request.getWebUrl());
    }
}

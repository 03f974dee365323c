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
        RunContext run = event.getRun();
        Commit commit = run.getCommit();
        return new Push(event.getSource(), event.getDeliveryId(), run.getRepository().getFullName(),
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

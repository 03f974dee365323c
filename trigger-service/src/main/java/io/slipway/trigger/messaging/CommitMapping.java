package io.slipway.trigger.messaging;

import io.slipway.events.Commit;
import io.slipway.events.CommitReceived;
import io.slipway.events.Repository;
import io.slipway.events.RunContext;
import io.slipway.schemas.RunIds;
import io.slipway.trigger.domain.Push;

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
                        .setAuthorEmail(push.authorEmail()).setTimestamp(push.timestamp()).build())
                .setTriggeredAt(triggeredAt)
                .setAcceptedSequence(sequence)
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
                commit.getMessage(), commit.getAuthorName(), commit.getAuthorEmail(), commit.getTimestamp(), false);
    }
}

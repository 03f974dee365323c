package io.slipway.notifier.messaging;

import io.slipway.events.ArtifactPublished;
import io.slipway.events.BuildFailed;
import io.slipway.events.CommitReceived;
import io.slipway.events.RunContext;
import io.slipway.notifier.domain.Artifact;
import io.slipway.notifier.domain.EventKind;
import io.slipway.notifier.domain.Notification;
import org.apache.avro.specific.SpecificRecord;

import java.time.Instant;

/**
 * Maps the events the notifier consumes to {@link Notification}s: {@code CommitReceived} is STARTED (stage TRIGGER),
 * {@code BuildFailed} is FAILED, or CANCELLED for reason {@code SUPERSEDED}, {@code ArtifactPublished} is PUBLISHED
 * (stage DELIVER).
 */
final class EventMapping {

    static final String SUPERSEDED = "SUPERSEDED";

    private EventMapping() {
    }

    static Notification toNotification(SpecificRecord event) {
        if (event instanceof CommitReceived e) {
            return of(e.getEventId(), EventKind.STARTED, e.getRun(), "TRIGGER", null, null, null, null, e.getEmittedAt());
        }
        if (event instanceof BuildFailed e) {
            return of(e.getEventId(), SUPERSEDED.equals(e.getReasonCode()) ? EventKind.CANCELLED : EventKind.FAILED,
                    e.getRun(), e.getStage().name(), e.getReasonCode(), e.getMessage(), e.getLogExcerpt(), null,
                    e.getEmittedAt());
        }
        if (event instanceof ArtifactPublished e) {
            return of(e.getEventId(), EventKind.PUBLISHED, e.getRun(), "DELIVER", null, null, null,
                    new Artifact(e.getKind().name(), e.getRegistry(), e.getRepository(), e.getDigest(), e.getTags()),
                    e.getEmittedAt());
        }
        throw new IllegalArgumentException("notifier-service does not handle " + event.getSchema().getFullName());
    }

    private static Notification of(String eventId, EventKind kind, RunContext run, String stage, String reason,
                                   String message, String excerpt, Artifact artifact, Instant occurredAt) {
        String title = run.getCommit().getMessage().lines().findFirst().orElse("");
        return new Notification(eventId, kind, run.getRunId(), run.getAttempt(), run.getRepository().getFullName(),
                run.getRepository().getWebUrl(), run.getCommit().getRef(), run.getCommit().getSha(), title,
                run.getCommit().getAuthorName(), stage, reason, message, excerpt, artifact, run.getTriggeredAt(),
                occurredAt);
    }
}

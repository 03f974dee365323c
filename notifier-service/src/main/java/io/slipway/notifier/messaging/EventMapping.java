package io.slipway.notifier.messaging;

import io.slipway.events.ArtifactPublished;
import io.slipway.events.BuildFailed;
import io.slipway.events.CommitReceived;
import io.slipway.events.Deployed;
import io.slipway.events.Stage;
import io.slipway.events.RunContext;
import io.slipway.events.TestsPassed;
import io.slipway.notifier.domain.Artifact;
import io.slipway.notifier.domain.ChangeRequest;
import io.slipway.notifier.domain.Deployment;
import io.slipway.notifier.domain.EventKind;
import io.slipway.notifier.domain.Notification;
import org.apache.avro.specific.SpecificRecord;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Maps the events the notifier consumes to {@link Notification}s: {@code CommitReceived} is STARTED (stage TRIGGER),
 * {@code BuildFailed} is FAILED, or CANCELLED for reasons {@code SUPERSEDED} and {@code CANCELLED}, or IGNORED for
 * reason {@code IGNORED}; {@code ArtifactPublished} is PUBLISHED (stage DELIVER); {@code TestsPassed} is PASSED (stage
 * TEST) for a run of a pull or merge request, whose run ends there, and nothing for a push, whose run ends at
 * {@code ArtifactPublished}; {@code Deployed} is DEPLOYED, or ROLLED_BACK when it restored an earlier artifact (stage
 * DEPLOY, its run being the one whose artifact now runs). A {@code BuildFailed} at DEPLOY names its environment,
 * unless the repository's configuration was refused ({@code CONFIG_INVALID}: no environment was touched, and the name
 * may be the repository's own).
 */
final class EventMapping {

    static final String SUPERSEDED = "SUPERSEDED";
    static final String CANCELLED = "CANCELLED";
    static final String IGNORED = "IGNORED";
    static final String CONFIG_INVALID = "CONFIG_INVALID";

    private EventMapping() {
    }

    static Optional<Notification> toNotification(SpecificRecord event) {
        if (event instanceof CommitReceived e) {
            return Optional.of(of(e.getEventId(), EventKind.STARTED, e.getRun(), "TRIGGER", null, null, null, null,
                    e.getEmittedAt()));
        }
        if (event instanceof BuildFailed e) {
            Notification n = of(e.getEventId(), kindOf(e.getReasonCode()), e.getRun(), e.getStage().name(),
                    e.getReasonCode(), e.getMessage(), e.getLogExcerpt(), null, e.getEmittedAt());
            boolean deploy = e.getStage() == Stage.DEPLOY && e.getEnvironment() != null
                    && !e.getEnvironment().isBlank() && !CONFIG_INVALID.equals(e.getReasonCode());
            return Optional.of(deploy ? about(n, Deployment.failed(e.getEnvironment())) : n);
        }
        if (event instanceof Deployed e) {
            Notification n = of(e.getEventId(), e.getRollback() ? EventKind.ROLLED_BACK : EventKind.DEPLOYED, e.getRun(),
                    "DEPLOY", null, null, null,
                    new Artifact(e.getKind().name(), e.getRegistry(), e.getRepository(), e.getDigest(), List.of()),
                    e.getEmittedAt());
            return Optional.of(about(n, new Deployment(e.getEnvironment(), e.getTargetKind().name(), e.getUrl(),
                    e.getPreviousDigest(), e.getRollback(), e.getRolledBackRunId(), e.getReason())));
        }
        if (event instanceof ArtifactPublished e) {
            return Optional.of(of(e.getEventId(), EventKind.PUBLISHED, e.getRun(), "DELIVER", null, null, null,
                    new Artifact(e.getKind().name(), e.getRegistry(), e.getRepository(), e.getDigest(), e.getTags()),
                    e.getEmittedAt()));
        }
        if (event instanceof TestsPassed e) {
            return e.getRun().getRequest() == null ? Optional.empty() : Optional.of(of(e.getEventId(),
                    EventKind.PASSED, e.getRun(), "TEST", null, null, null, null, e.getEmittedAt()));
        }
        throw new IllegalArgumentException("notifier-service does not handle " + event.getSchema().getFullName());
    }

    private static EventKind kindOf(String reasonCode) {
        if (SUPERSEDED.equals(reasonCode) || CANCELLED.equals(reasonCode)) {
            return EventKind.CANCELLED;
        }
        return IGNORED.equals(reasonCode) ? EventKind.IGNORED : EventKind.FAILED;
    }

    private static Notification of(String eventId, EventKind kind, RunContext run, String stage, String reason,
                                   String message, String excerpt, Artifact artifact, Instant occurredAt) {
        String title = run.getCommit().getMessage().lines().findFirst().orElse("");
        return new Notification(eventId, kind, run.getRunId(), run.getAttempt(), run.getRepository().getFullName(),
                run.getRepository().getWebUrl(), run.getCommit().getRef(), run.getCommit().getSha(), title,
                run.getCommit().getAuthorName(), stage, reason, message, excerpt, artifact, run.getTriggeredAt(),
                occurredAt, request(run.getRequest()));
    }

    private static Notification about(Notification n, Deployment deployment) {
        return new Notification(n.eventId(), n.kind(), n.runId(), n.attempt(), n.repository(), n.repositoryUrl(), n.ref(),
                n.sha(), n.commitTitle(), n.author(), n.stage(), n.reasonCode(), n.message(), n.logExcerpt(),
                n.artifact(), n.triggeredAt(), n.occurredAt(), n.request(), deployment);
    }

    private static ChangeRequest request(io.slipway.events.ChangeRequest r) {
        if (r == null) {
            return null;
        }
        return new ChangeRequest(r.getNumber(), "merge".equals(r.getKind()) ? ChangeRequest.Kind.MERGE
                : ChangeRequest.Kind.PULL, r.getSourceBranch(), r.getTargetBranch(), r.getSourceRepository(),
                r.getAuthor(), r.getFromFork(), r.getHeadSha(), r.getWebUrl());
    }
}

package io.slipway.deliverer.messaging;

import io.slipway.common.requests.ChangeRequests;
import io.slipway.common.text.TerminalText;
import io.slipway.deliverer.domain.Delivery;
import io.slipway.deliverer.domain.ImageRef;
import io.slipway.deliverer.domain.Outcome;
import io.slipway.events.ArtifactKind;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.BuildFailed;
import io.slipway.events.RunContext;
import io.slipway.events.Stage;
import io.slipway.events.TestsPassed;
import org.apache.avro.specific.SpecificRecord;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Maps {@code TestsPassed} to a {@link Delivery} and an {@link Outcome} to the events it emits. Event ids are
 * name-based on run id, attempt and target, so the same delivery always emits the same events: a consumer that
 * sees an event twice (a crash between publishing and recording the outcome) can tell it is one event.
 */
final class EventMapping {

    private static final int MAX_EXCERPT = 8 * 1024;

    private EventMapping() {
    }

    static Delivery toDelivery(TestsPassed event) {
        RunContext run = event.getRun();
        return new Delivery(run.getRunId(), run.getAttempt(), run.getRepository().getFullName(),
                run.getCommit().getSha(), run.getCommit().getRef(), run.getCommit().getTimestamp(), run.getTriggeredAt(),
                run.getAcceptedSequence(), new ImageRef(event.getImage().getRegistry(), event.getImage().getRepository()),
                event.getImage().getDigest(), event.getKind() == ArtifactKind.CONTAINER,
                run.getRequest() == null ? null : ChangeRequests.nameWithTarget(run.getRequest()));
    }

    /**
     * The events an outcome of {@code in} emits: one {@code ArtifactPublished} per target, or one {@code BuildFailed},
     * or none (a request's run, which ends at TEST, or a run attempt already delivered). The run and the repository's
     * deploy intent are copied from {@code in} unchanged.
     */
    static List<SpecificRecord> events(TestsPassed in, Outcome outcome, Instant now) {
        RunContext run = in.getRun();
        if (outcome instanceof Outcome.Published published) {
            return published.publications().stream().<SpecificRecord>map(p -> ArtifactPublished.newBuilder()
                    .setEventId(eventId(run, "ArtifactPublished", p.target().toString()))
                    .setRun(run)
                    .setKind(published.vm() ? ArtifactKind.VM : ArtifactKind.CONTAINER)
                    .setRegistry(p.target().registry())
                    .setRepository(p.target().repository())
                    .setDigest(published.digest())
                    .setTags(published.tags())
                    .setEmittedAt(now)
                    .setDeploy(in.getDeploy())
                    .build()).toList();
        }
        if (outcome instanceof Outcome.Failed failed) {
            // A registry's answer is quoted in the detail: no terminal escapes from it reach Slack or an issue.
            String detail = TerminalText.strip(failed.detail());
            return List.of(BuildFailed.newBuilder()
                    .setEventId(eventId(run, "BuildFailed"))
                    .setRun(run)
                    .setStage(Stage.DELIVER)
                    .setReasonCode(failed.reason().name())
                    .setMessage(failed.message())
                    .setLogExcerpt(detail == null || detail.length() <= MAX_EXCERPT ? detail : detail.substring(0, MAX_EXCERPT))
                    .setRetryable(failed.reason().retryable())
                    .setEmittedAt(now)
                    .build());
        }
        return List.of();
    }

    static String eventId(RunContext run, String... parts) {
        String name = "deliverer-service\u0000" + run.getRunId() + "\u0000" + run.getAttempt() + "\u0000"
                + String.join("\u0000", parts);
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}

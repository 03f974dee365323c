package io.slipway.trigger.domain;

import io.slipway.common.policy.CloneUrlPolicy;
import io.slipway.schemas.RunIds;

import java.time.Instant;
import java.util.Optional;

/**
 * Decides what an authenticated pull or merge request event does. Its target branch must pass the repository's
 * branch filters. Opened, updated and reopened requests run their head (or the forge's merge result, per repository)
 * unless the head commit asks to skip CI or the clone URL is refused; a reopened request's head already run starts a
 * new attempt. A fork's request runs only where forks are allowed, and, where fork approval is required, only once
 * approved (the approval label on the request, or an approval recorded in its state): until then its run waits. A
 * close ends the request: until it is reopened, its other events (a redelivery, one the forge sent out of order)
 * start nothing; the approval label added to a request whose run waits releases that run.
 */
public final class RequestAdmission {

    /** What a request event does. */
    public sealed interface Decision {
        /** Submit this run; {@code newAttempt} when a head already run is to run again (a reopened request). */
        record Run(Push push, String runId, boolean newAttempt) implements Decision {
        }

        /** A fork's head that waits for approval before its run starts. */
        record AwaitApproval(Push push, String runId) implements Decision {
        }

        /** The request was closed or merged. */
        record Close() implements Decision {
        }

        /** The approval label released the run that waited. */
        record Approve(RequestStatus status) implements Decision {
        }

        /** Valid, but starts nothing. */
        record Ignore(String reason) implements Decision {
        }

        /** Asks for something Slipway must not do (a clone URL the policy forbids). */
        record Refuse(String reason) implements Decision {
        }
    }

    private final CloneUrlPolicy cloneUrls;

    public RequestAdmission(CloneUrlPolicy cloneUrls) {
        this.cloneUrls = cloneUrls;
    }

    /**
     * @param status the request's state as the trigger last recorded it, if any
     * @param now    the time to give a run whose event carries none
     */
    public Decision admit(RequestEvent event, WatchedRepository repository, Optional<RequestStatus> status,
                          Instant now) {
        Optional<String> filtered = repository.branches().refusal("target branch", event.targetBranch());
        if (filtered.isPresent()) {
            return new Decision.Ignore("request " + event.displayName() + ": " + filtered.get());
        }
        RequestSettings settings = repository.requests();
        switch (event.action()) {
            case CLOSED:
                return new Decision.Close();
            case LABELED:
                return labeled(event, settings, status);
            case OTHER:
                return new Decision.Ignore("this event of request " + event.displayName() + " starts nothing");
            default:
                break;
        }
        if (status.isPresent() && !status.get().open() && event.action() != RequestEvent.Action.REOPENED) {
            return new Decision.Ignore("request " + event.displayName() + " was closed: only reopening it runs it"
                    + " again");
        }
        if (event.fromFork() && !settings.forks()) {
            return new Decision.Ignore("request " + event.displayName() + " comes from the fork "
                    + event.sourceRepository() + ", and requests from forks do not run for " + event.repository());
        }
        if (PushAdmission.skipsCi(event.message())) {
            return new Decision.Ignore("head commit message asks to skip CI");
        }
        Optional<String> refused = cloneUrls.refusal(event.cloneUrl());
        if (refused.isPresent()) {
            return new Decision.Refuse("clone URL refused: " + refused.get());
        }
        Push push = push(event, settings.build(), now);
        String runId = RunIds.runId(push.repository(), push.sha(), push.ref());
        boolean approved = status.map(RequestStatus::approved).orElse(false)
                || event.labels().contains(settings.approvalLabel());
        if (event.fromFork() && settings.forkApproval() && !approved) {
            return new Decision.AwaitApproval(push, runId);
        }
        return new Decision.Run(push, runId, event.action() == RequestEvent.Action.REOPENED);
    }

    private static Decision labeled(RequestEvent event, RequestSettings settings, Optional<RequestStatus> status) {
        if (!event.labels().contains(settings.approvalLabel())) {
            return new Decision.Ignore("request " + event.displayName() + " does not carry the approval label '"
                    + settings.approvalLabel() + "'");
        }
        if (status.isEmpty() || !status.get().isAwaiting()) {
            return new Decision.Ignore("request " + event.displayName() + " has no run waiting for approval");
        }
        return new Decision.Approve(status.get());
    }

    /** The run of a request: its head (or merge) ref at the head sha, carrying the request. */
    static Push push(RequestEvent event, RequestSettings.Build build, Instant now) {
        boolean merge = build == RequestSettings.Build.MERGE;
        return new Push(event.source(), event.deliveryId(), event.repository(), event.cloneUrl(), event.webUrl(),
                merge ? event.mergeRef() : event.headRef(), event.headSha(), event.message(), event.author(), null,
                event.timestamp() == null ? now : event.timestamp(), false, null, event.toRequest(merge));
    }
}

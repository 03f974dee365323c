package io.slipway.trigger.domain;

import io.slipway.schemas.RunIds;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Turns authenticated pull and merge request events, approvals and re-runs of a request into runs and request
 * states. A run goes through the same intake, ledger and {@code CommitReceived} as a push ({@link TriggerService}),
 * so each request head runs once. A fork's head that needs approval is recorded as waiting; an approval (the label,
 * or {@link #approve}) records the request as approved, which holds for its later heads, and submits the run that
 * waited. A close records the request closed, which makes what is left of its work stale; a reopening that starts no
 * run still records it open, since only a reopening lets its later events run. A request's state is written before
 * the call returns (the caller's thread waits for that write); a run's outcome completes once the intake recorded it.
 */
public final class RequestService {

    /** The {@code source} of a run that waited for approval and was released by it. */
    public static final String APPROVAL_SOURCE = "approval";

    private final RequestAdmission admission;
    private final TriggerService trigger;
    private final RunLedger ledger;
    private final RequestBook book;
    private final Clock clock;

    public RequestService(RequestAdmission admission, TriggerService trigger, RunLedger ledger, RequestBook book,
                          Clock clock) {
        this.admission = admission;
        this.trigger = trigger;
        this.ledger = ledger;
        this.book = book;
        this.clock = clock;
    }

    /** Handles a request event whose delivery was authenticated for {@code repository}. */
    public CompletableFuture<Outcome> receive(RequestEvent event, WatchedRepository repository) {
        Optional<RequestStatus> status = book.get(event.repository(), event.number());
        Instant now = clock.instant();
        RequestAdmission.Decision decision = admission.admit(event, repository, status, now);
        if (decision instanceof RequestAdmission.Decision.Run run) {
            return trigger.submitRun(run.push(), run.runId(), run.newAttempt());
        }
        if (decision instanceof RequestAdmission.Decision.AwaitApproval wait) {
            book.put(RequestStatus.awaiting(status, wait.push(), now));
            return done(new Outcome.AwaitingApproval(wait.runId(), "awaiting approval: request " + event.displayName()
                    + " comes from the fork " + event.sourceRepository() + "; an operator approves it with POST"
                    + " /approvals {\"repository\":\"" + event.repository() + "\",\"request\":" + event.number()
                    + "} or the label '" + repository.requests().approvalLabel() + "'"));
        }
        if (decision instanceof RequestAdmission.Decision.Close) {
            book.put(RequestStatus.closed(status, event, now));
            return done(new Outcome.Closed("closed: what is left of request " + event.displayName() + " is cancelled"));
        }
        if (decision instanceof RequestAdmission.Decision.Approve approve) {
            return release(approve.status());
        }
        if (event.action() == RequestEvent.Action.REOPENED && status.isPresent() && !status.get().open()) {
            book.put(RequestStatus.reopened(status, event, now));
        }
        if (decision instanceof RequestAdmission.Decision.Refuse refuse) {
            return done(new Outcome.Refused(refuse.reason()));
        }
        return done(new Outcome.Ignored(((RequestAdmission.Decision.Ignore) decision).reason()));
    }

    /**
     * An operator's approval of request {@code number}: 404 when the trigger knows no such request, 409 when no run
     * of it waits; otherwise the request is approved and the run that waited starts.
     */
    public CompletableFuture<Outcome> approve(String repository, int number) {
        Optional<RequestStatus> status = book.get(repository, number);
        if (status.isEmpty()) {
            return done(new Outcome.Unknown("no request " + number + " of " + repository
                    + " is known to this trigger"));
        }
        if (!status.get().isAwaiting()) {
            String why = !status.get().open() ? "; it is closed" : status.get().approved() ? "; it is already approved" : "";
            return done(new Outcome.Conflict("nothing of request " + number + " of " + repository
                    + " awaits approval" + why));
        }
        return release(status.get());
    }

    /**
     * Approval is recorded before the waiting run is submitted, so a failure between the two leaves the run waiting
     * and the approval can be repeated; the run's state, once it is emitted, clears the wait.
     */
    private CompletableFuture<Outcome> release(RequestStatus status) {
        book.put(status.approve(clock.instant()));
        Push push = status.awaiting().from(APPROVAL_SOURCE, null);
        return trigger.submitRun(push, RunIds.runId(push.repository(), push.sha(), push.ref()), false);
    }

    /**
     * Runs the newest head of request {@code number} again, as a new attempt: 404 when the trigger knows no run of
     * it, 409 when the request is closed or its newest head still waits for approval.
     */
    public CompletableFuture<Outcome> rerun(String repository, int number) {
        Optional<RequestStatus> status = book.get(repository, number);
        if (status.isEmpty()) {
            return done(new Outcome.Unknown("no request " + number + " of " + repository
                    + " is known to this trigger"));
        }
        RequestStatus request = status.get();
        if (!request.open()) {
            return done(new Outcome.Conflict("request " + number + " of " + repository + " is closed"));
        }
        if (request.isAwaiting() && request.awaiting().sha().equals(request.headSha())) {
            return done(new Outcome.Conflict("the newest head of request " + number + " of " + repository
                    + " awaits approval: POST /approvals first"));
        }
        Optional<RunLedger.Entry> newest = Stream.of(RequestEvent.Kind.values())
                .flatMap(kind -> Stream.of(kind.headRef(number), kind.mergeRef(number)))
                .flatMap(ref -> ledger.latest(repository, ref).stream())
                .filter(entry -> entry.push().sha().equals(request.headSha()))
                .max(Comparator.comparingLong(RunLedger.Entry::sequence));
        if (newest.isEmpty()) {
            return done(new Outcome.Unknown("no run of head " + request.headSha() + " of request " + number + " of "
                    + repository + " is known to this trigger"));
        }
        return trigger.submitRun(newest.get().push().from("manual", null), newest.get().runId(), true);
    }

    private static CompletableFuture<Outcome> done(Outcome outcome) {
        return CompletableFuture.completedFuture(outcome);
    }
}

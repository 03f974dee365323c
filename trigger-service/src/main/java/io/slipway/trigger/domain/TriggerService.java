package io.slipway.trigger.domain;

import io.slipway.schemas.RunIds;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Turns authenticated pushes and manual requests into runs. A push passes {@link PushAdmission} (filters,
 * clone URL policy), is answered as a duplicate at once when the ledger already knows it, and otherwise goes to
 * the {@link RunIntake}; {@link #start} is the single, per-partition decision that emits the run. A submission's
 * outcome completes when the intake has recorded it (the caller's thread does not wait for Kafka). A manual run
 * passes the same admission (watch list entry, ref filters, clone URL policy), reuses the run id of its repository,
 * ref and sha and becomes its next attempt. A run of a pull or merge request, once emitted, becomes the request's
 * newest state in the {@link RequestBook}.
 */
public final class TriggerService {

    private final PushAdmission admission;
    private final RunLedger ledger;
    private final RunIntake intake;
    private final RunEmitter emitter;
    private final RequestBook requests;
    private final Clock clock;

    public TriggerService(PushAdmission admission, RunLedger ledger, RunIntake intake, RunEmitter emitter,
                          RequestBook requests, Clock clock) {
        this.admission = admission;
        this.ledger = ledger;
        this.intake = intake;
        this.emitter = emitter;
        this.requests = requests;
        this.clock = clock;
    }

    /** Handles a push whose request was authenticated for {@code repository}. */
    public CompletableFuture<Outcome> submit(Push push, WatchedRepository repository) {
        Admission decision = admission.admit(push, repository);
        if (!(decision instanceof Admission.Start start)) {
            return CompletableFuture.completedFuture(notStarted(decision));
        }
        return submitRun(push, start.runId(), false);
    }

    /**
     * Hands an admitted run to the intake, or answers it as a duplicate at once when the ledger already knows it;
     * {@code newAttempt} asks for the next attempt of a run already started (still a duplicate for a delivery already
     * received). The outcome completes once the intake recorded the run, exceptionally when it could not.
     */
    public CompletableFuture<Outcome> submitRun(Push push, String runId, boolean newAttempt) {
        if (ledger.decide(runId, push, newAttempt, clock.instant()) instanceof RunLedger.Verdict.Duplicate duplicate) {
            return CompletableFuture.completedFuture(new Outcome.Duplicate(duplicate.runId(), duplicate.reason()));
        }
        return accepted(intake.submit(push, runId, newAttempt), runId);
    }

    /** Handles a manual (re-)run request from an authorised caller for a repository the watch list matched. */
    public CompletableFuture<Outcome> manual(ManualRun request, WatchedRepository repository) {
        Optional<RunLedger.Entry> base = request.sha() == null
                ? ledger.latest(request.repository(), request.ref())
                : ledger.run(RunIds.runId(request.repository(), request.sha(), request.ref()));
        if (request.sha() == null && base.isEmpty()) {
            return CompletableFuture.completedFuture(new Outcome.Unknown("no commit of " + request.repository()
                    + " on " + request.ref() + " has been seen yet; give the sha to run"));
        }
        String sha = request.sha() != null ? request.sha() : base.get().push().sha();
        String cloneUrl = request.cloneUrl() != null ? request.cloneUrl()
                : base.or(() -> ledger.anyRunOf(request.repository())).map(e -> e.push().cloneUrl()).orElse(null);
        if (cloneUrl == null) {
            return CompletableFuture.completedFuture(new Outcome.Unknown("repository " + request.repository()
                    + " has never been built; give its cloneUrl to run it"));
        }
        Push template = base.map(RunLedger.Entry::push).orElse(null);
        Push push = new Push("manual", null, request.repository(), cloneUrl,
                template == null ? null : template.webUrl(), request.ref(), sha,
                template == null ? "Manual run requested by " + request.requestedBy() : template.message(),
                template == null ? request.requestedBy() : template.authorName(),
                template == null ? null : template.authorEmail(),
                template == null ? clock.instant() : template.timestamp(), false);
        Admission decision = admission.admitManual(push, repository);
        if (!(decision instanceof Admission.Start start)) {
            return CompletableFuture.completedFuture(notStarted(decision));
        }
        return accepted(intake.submit(push, start.runId(), true), start.runId());
    }

    private static CompletableFuture<Outcome> accepted(CompletableFuture<Void> recorded, String runId) {
        return recorded.thenApply(done -> new Outcome.Accepted(runId));
    }

    private static Outcome notStarted(Admission decision) {
        return decision instanceof Admission.Refuse refuse ? new Outcome.Refused(refuse.reason())
                : new Outcome.Ignored(((Admission.Ignore) decision).reason());
    }

    /**
     * The partition owner's decision for a submitted push: emits it as a new run (or the next attempt of a
     * manual re-run) unless the ledger already has it. Called in partition order, so it sees every earlier run
     * and gives the run the repository's next accepted sequence (a re-run keeps its run's).
     *
     * @return true when a run was emitted
     */
    public boolean start(Push push, String runId, Instant triggeredAt) {
        return start(push, runId, triggeredAt, "manual".equals(push.source()));
    }

    /**
     * As {@link #start(Push, String, Instant)}, {@code newAttempt} asking for the next attempt of a known run. A
     * request's run, once emitted, is the request's newest state; a duplicate of it writes that state again only
     * when it is missing (a state write that failed after the run was emitted), never over a newer one.
     */
    public boolean start(Push push, String runId, Instant triggeredAt, boolean newAttempt) {
        RunLedger.Verdict verdict = ledger.decide(runId, push, newAttempt, triggeredAt);
        if (verdict instanceof RunLedger.Verdict.NewRun run) {
            emitter.emit(push, runId, run.attempt(), triggeredAt, run.sequence());
            ledger.recordEmitted(runId, run.attempt(), push, run.sequence(), triggeredAt);
            if (push.isRequest()) {
                recordAttempt(push, run.attempt(), run.sequence(), triggeredAt);
            }
            return true;
        }
        if (push.isRequest()) {
            ledger.run(runId).ifPresent(entry -> {
                Optional<RequestStatus> current = requests.get(push.repository(), push.request().number());
                if (current.isEmpty() || current.get().sequence() < entry.sequence()) {
                    recordAttempt(entry.push(), entry.attempt(), entry.sequence(), triggeredAt);
                }
            });
        }
        return false;
    }

    /**
     * A run's state, unless a newer decision about its request must stay the newest: a close recorded after the run
     * was asked for ({@code triggeredAt}) while it waited in the intake, or, for a new attempt (a re-run, a reopen,
     * which gets a fresh sequence so a close before it does not drop it), another head that became the open
     * request's newest since. That state is then written again above the run, which makes the run stale instead of
     * reopening the request or superseding the newer head.
     */
    private void recordAttempt(Push push, int attempt, long sequence, Instant triggeredAt) {
        Optional<RequestStatus> current = requests.get(push.repository(), push.request().number());
        boolean closedSince = current.isPresent() && !current.get().open()
                && current.get().updatedAt().isAfter(triggeredAt);
        boolean overtaken = attempt > 1 && current.isPresent() && current.get().open()
                && !current.get().headSha().equals(push.sha());
        if (closedSince || overtaken) {
            requests.put(current.get().outranking(sequence, clock.instant()));
            return;
        }
        recordRequest(push, sequence);
    }

    private void recordRequest(Push push, long sequence) {
        requests.put(RequestStatus.afterRun(requests.get(push.repository(), push.request().number()), push, sequence,
                clock.instant()));
    }
}

package io.slipway.trigger.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * What the trigger last decided about one pull or merge request, as kept in {@code slipway.requests}: whether it is
 * open, its newest head and when that was accepted ({@code sequence}, on the scale of the runs' accepted sequence),
 * whether an operator approved it, and the run a fork's head waits to start until approved ({@code awaiting}, null
 * when none waits).
 */
public record RequestStatus(String repository, int number, boolean open, String headSha, long sequence,
                            boolean approved, Push awaiting, Instant updatedAt) {

    /** The request after its run of {@code push} was accepted with {@code sequence}: open, at that head. */
    public static RequestStatus afterRun(Optional<RequestStatus> current, Push push, long sequence, Instant now) {
        Push awaiting = current.map(RequestStatus::awaiting).filter(a -> !a.sha().equals(push.sha())).orElse(null);
        return new RequestStatus(push.repository(), push.request().number(), true, push.sha(), sequence,
                current.map(RequestStatus::approved).orElse(false), awaiting, now);
    }

    /** The request with a fork's head {@code push} waiting for approval, as its newest head since {@code now}. */
    public static RequestStatus awaiting(Optional<RequestStatus> current, Push push, Instant now) {
        return new RequestStatus(push.repository(), push.request().number(), true, push.sha(), after(current, now),
                current.map(RequestStatus::approved).orElse(false), push, now);
    }

    /** The request closed at {@code now}: what is left of its runs is stale, and nothing waits any more. */
    public static RequestStatus closed(Optional<RequestStatus> current, RequestEvent event, Instant now) {
        return new RequestStatus(event.repository(), event.number(), false, event.headSha(), after(current, now),
                current.map(RequestStatus::approved).orElse(false), null, now);
    }

    /**
     * The request reopened at {@code now} at the event's head, when the reopening starts no run (its head asks to skip
     * CI, say): open again, so that its later heads run.
     */
    public static RequestStatus reopened(Optional<RequestStatus> current, RequestEvent event, Instant now) {
        return new RequestStatus(event.repository(), event.number(), true, event.headSha(), after(current, now),
                current.map(RequestStatus::approved).orElse(false), null, now);
    }

    /**
     * The sequence of a state written at {@code now} that must outrank the request's runs accepted so far: {@code now}
     * in milliseconds, but above the newest run's sequence, which may equal it (accepted in the same millisecond) or
     * run ahead of the clock (a repository's sequences rise by one per run even within a millisecond). Staleness
     * needs a sequence strictly above the run's.
     */
    private static long after(Optional<RequestStatus> current, Instant now) {
        return Math.max(now.toEpochMilli(), current.map(status -> status.sequence() + 1).orElse(0L));
    }

    /** This request approved by an operator at {@code now}; what waits still waits until its run is accepted. */
    public RequestStatus approve(Instant now) {
        return new RequestStatus(repository, number, open, headSha, sequence, true, awaiting, now);
    }

    /** This state written again at {@code now} with a sequence above {@code sequence}, the run it must outrank. */
    public RequestStatus outranking(long sequence, Instant now) {
        return new RequestStatus(repository, number, open, headSha, Math.max(this.sequence, sequence + 1), approved,
                awaiting, now);
    }

    /** Whether a head waits for approval. */
    public boolean isAwaiting() {
        return awaiting != null;
    }
}

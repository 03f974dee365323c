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
        return new RequestStatus(push.repository(), push.request().number(), true, push.sha(), now.toEpochMilli(),
                current.map(RequestStatus::approved).orElse(false), push, now);
    }

    /** The request closed at {@code now}: what is left of its runs is stale, and nothing waits any more. */
    public static RequestStatus closed(Optional<RequestStatus> current, RequestEvent event, Instant now) {
        return new RequestStatus(event.repository(), event.number(), false, event.headSha(), now.toEpochMilli(),
                current.map(RequestStatus::approved).orElse(false), null, now);
    }

    /** This request approved by an operator at {@code now}; what waits still waits until its run is accepted. */
    public RequestStatus approve(Instant now) {
        return new RequestStatus(repository, number, open, headSha, sequence, true, awaiting, now);
    }

    /** Whether a head waits for approval. */
    public boolean isAwaiting() {
        return awaiting != null;
    }
}

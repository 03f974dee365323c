package io.slipway.trigger.domain;

/** What the trigger answers a webhook or manual request with. */
public sealed interface Outcome {

    /** Recorded; the run with this id starts (202). */
    record Accepted(String runId) implements Outcome {
    }

    /** Already started; nothing new happens (200). */
    record Duplicate(String runId, String reason) implements Outcome {
    }

    /** Valid, but starts nothing (200). */
    record Ignored(String reason) implements Outcome {
    }

    /** Refused by policy (422). */
    record Refused(String reason) implements Outcome {
    }

    /** A manual run that names nothing the trigger knows (404). */
    record Unknown(String reason) implements Outcome {
    }

    /** A fork's request whose run waits for an operator's approval (202). */
    record AwaitingApproval(String runId, String reason) implements Outcome {
    }

    /** A request was closed; what is left of its work is cancelled (202). */
    record Closed(String reason) implements Outcome {
    }

    /** Asks for something the request's state does not allow now, such as approving what nothing waits for (409). */
    record Conflict(String reason) implements Outcome {
    }
}

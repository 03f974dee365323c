package io.slipway.notifier.domain;

/** How a delivery ended: every delivery ends in exactly one of these, and only then is its record committed. */
public sealed interface DeliveryOutcome {

    /** The channel has the notification; {@code detail} says what was done, e.g. {@code opened issue #12}. */
    record Sent(String detail) implements DeliveryOutcome {
    }

    /** The channel had already been told about this event id. */
    record Duplicate() implements DeliveryOutcome {
    }

    /** The channel refused the notification for good; it goes to the dead-letter topic with the response. */
    record Rejected(NotificationRejected cause) implements DeliveryOutcome {
    }

    /** The channel stayed unavailable through every retry; it goes to the dead-letter topic. */
    record Abandoned(Retrier.Exhausted cause) implements DeliveryOutcome {
    }
}

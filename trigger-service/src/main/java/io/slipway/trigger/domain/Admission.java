package io.slipway.trigger.domain;

/** What the trigger does with a push that passed authentication: start a run, ignore it, or refuse it. */
public sealed interface Admission {

    /** The push starts a run with this deterministic id. */
    record Start(Push push, String runId) implements Admission {
    }

    /** The push is valid but starts nothing (deleted ref, {@code [skip ci]}, filtered ref); answered 200. */
    record Ignore(String reason) implements Admission {
    }

    /** The push asks for something Slipway must not do (a clone URL the policy forbids); answered 422. */
    record Refuse(String reason) implements Admission {
    }
}

package io.slipway.tester.domain;

import io.slipway.common.requests.StalenessWatch;

/** The tester's use case as the Kafka listener sees it: one staged image to one outcome. */
public interface ImageTests {

    /** Tests the image of a request that never goes stale (see {@link #test(TestRequest, StalenessWatch)}). */
    default Outcome test(TestRequest request) {
        return test(request, StalenessWatch.NEVER);
    }

    /**
     * Tests the image of the request unless its pull or merge request moves on: stale before the test starts, nothing
     * runs; stale while it runs, its containers are removed. Either way the outcome is {@link Outcome.Reason#SUPERSEDED}
     * or {@link Outcome.Reason#CANCELLED}, not retryable. Throws the common {@code TransientFailure} when the engine or
     * registry is unreachable.
     */
    Outcome test(TestRequest request, StalenessWatch watch);

    /**
     * True when every test ends at once without work (the dry-run backend): the stage then gives a poll's images one
     * transaction, as the light stages do, instead of one transaction each.
     */
    default boolean light() {
        return false;
    }
}

package io.slipway.tester.domain;

/** The tester's use case as the Kafka listener sees it: one staged image to one outcome. */
public interface ImageTests {

    /** Tests the image of the request; throws the common {@code TransientFailure} when the engine or registry is unreachable. */
    Outcome test(TestRequest request);
}

package io.slipway.trigger.domain;

import java.util.Optional;

/**
 * Port: the requests' states ({@code slipway.requests}), which the trigger alone writes: builder and tester read them
 * to drop the work of a request that was closed or got a newer head.
 */
public interface RequestBook {

    /** The newest state of a request, this instance's own writes included. */
    Optional<RequestStatus> get(String repository, int number);

    /**
     * Records a request's state; returns once it is durable.
     *
     * @throws io.slipway.common.kafka.TransientFailure when it could not be recorded
     */
    void put(RequestStatus status);
}

package io.slipway.common.messaging;

import io.micronaut.context.annotation.Factory;
import io.slipway.common.liveness.Heartbeats;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The one {@link Heartbeats} of a service, where its listeners and background threads register. */
@Factory
class HeartbeatsFactory {

    @Singleton
    Heartbeats heartbeats() {
        return new Heartbeats(Clock.systemUTC());
    }
}

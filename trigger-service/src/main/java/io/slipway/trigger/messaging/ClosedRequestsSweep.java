package io.slipway.trigger.messaging;

import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import io.slipway.schemas.Topics;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * Hourly, deletes from {@code slipway.requests} the requests closed longer ago than
 * {@code slipway.trigger.closed-requests-retention} (3 days by default, well past any run of theirs still in flight,
 * and inside the run ledger's window, so an old head delivered again is still a duplicate): the topic, and the memory
 * of every trigger, builder and tester that reads it, then holds open requests and recently closed ones only.
 */
@Singleton
class ClosedRequestsSweep {

    private static final Logger LOG = LoggerFactory.getLogger(ClosedRequestsSweep.class);

    private final RequestStateWriter writer;
    private final Clock clock;
    private final Duration retention;

    ClosedRequestsSweep(RequestStateWriter writer, Clock clock,
                        @Value("${slipway.trigger.closed-requests-retention:3d}") Duration retention) {
        this.writer = writer;
        this.clock = clock;
        this.retention = retention;
    }

    @Scheduled(fixedDelay = "1h", initialDelay = "1m")
    void sweep() {
        try {
            int forgotten = writer.forgetClosedBefore(clock.instant().minus(retention));
            if (forgotten > 0) {
                LOG.info("Forgot {} requests closed more than {} ago ({})", forgotten, retention, Topics.REQUESTS);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not forget closed requests now, will try again in an hour: {}", e.toString());
        }
    }
}

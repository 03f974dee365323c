package io.slipway.trigger.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.slipway.common.kafka.RecordPipeline;
import jakarta.inject.Singleton;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * When {@code test.intake.hand-back-first-run} is set: the first run the intake starts is handed back after it was
 * emitted and recorded in the ledger, as a fault between the emission and the commit would, so its transaction is
 * aborted and the candidate decided again. Counts the decisions it saw.
 */
@Singleton
@Replaces(IntakeObserver.class)
@Requires(property = "test.intake.hand-back-first-run", value = "true")
class HandingBackObserver extends IntakeObserver {

    private final AtomicInteger handedBack = new AtomicInteger();
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger deduplicated = new AtomicInteger();

    HandingBackObserver(MeterRegistry meters) {
        super(meters);
    }

    @Override
    void decided(boolean startedRun) {
        super.decided(startedRun);
        (startedRun ? started : deduplicated).incrementAndGet();
        if (startedRun && handedBack.compareAndSet(0, 1)) {
            throw new RecordPipeline.RecordHandedBack("handed back by the test after the run was emitted", null);
        }
    }

    int handedBack() {
        return handedBack.get();
    }

    int started() {
        return started.get();
    }

    int deduplicated() {
        return deduplicated.get();
    }
}

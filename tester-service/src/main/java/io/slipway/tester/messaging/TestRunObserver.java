package io.slipway.tester.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.slipway.tester.domain.Outcome;
import jakarta.inject.Singleton;

/** Counts each published test outcome in {@code slipway.tester.runs}, tagged PASSED or with its failure reason. */
@Singleton
public class TestRunObserver {

    private final MeterRegistry meters;

    TestRunObserver(MeterRegistry meters) {
        this.meters = meters;
    }

    void published(Outcome outcome) {
        meters.counter("slipway.tester.runs", "outcome", outcome instanceof Outcome.Failed failed
                ? failed.reason().name() : "PASSED").increment();
    }
}

package io.slipway.trigger.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/** Counts the intake's decisions in {@code slipway.trigger.runs}: a run started, or a candidate deduplicated. */
@Singleton
public class IntakeObserver {

    private final MeterRegistry meters;

    IntakeObserver(MeterRegistry meters) {
        this.meters = meters;
    }

    void decided(boolean started) {
        meters.counter("slipway.trigger.runs", "outcome", started ? "started" : "deduplicated").increment();
    }
}

package io.slipway.trigger.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.List;

/**
 * trigger-service settings. {@code runToken} protects {@code POST /runs} (manual runs are off while it is
 * empty); it is a secret, set from the environment ({@code SLIPWAY_RUN_TOKEN}).
 */
@ConfigurationProperties("slipway.trigger")
public record TriggerProperties(@Nullable String runToken, CloneUrls cloneUrls, Ledger ledger, Requests requests) {

    /**
     * How webhook and manual-run requests are handled: on {@code threads} (which never wait for Kafka's
     * acknowledgement), with at most {@code queue} requests waiting for a thread and {@code inFlight} taken and not
     * yet answered; beyond either a request is answered 503 with {@code Retry-After}.
     */
    @ConfigurationProperties("requests")
    public record Requests(@Bindable(defaultValue = "8") int threads, @Bindable(defaultValue = "256") int queue,
                           @Bindable(defaultValue = "512") int inFlight) {
        public Requests {
            if (threads < 1 || queue < 1 || inFlight < 1) {
                throw new IllegalArgumentException("the trigger needs at least one request thread, one queue place"
                        + " and one request in flight, not " + threads + ", " + queue + " and " + inFlight);
            }
        }
    }

    /** Which clone URLs runs may fetch from; see {@code CloneUrlPolicy}. */
    @ConfigurationProperties("clone-urls")
    public record CloneUrls(@Bindable(defaultValue = "https,ssh") List<String> schemes,
                            @Nullable List<String> allowedHosts,
                            @Bindable(defaultValue = "false") boolean allowFile,
                            @Bindable(defaultValue = "false") boolean allowLoopback,
                            @Bindable(defaultValue = "false") boolean allowPrivate) {
    }

    /**
     * How much the run ledger holds: runs triggered within {@code window}, with a warning above {@code maxRuns} of
     * them; {@code delivererOutcomeWindow} is the deliverer's (the same variable), which the window must outlast.
     */
    @ConfigurationProperties("ledger")
    public record Ledger(@Bindable(defaultValue = "8d") Duration window,
                         @Bindable(defaultValue = "50000") int maxRuns,
                         @Bindable(defaultValue = "7d") Duration delivererOutcomeWindow) {
    }
}

package io.slipway.openstack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Waits for the cloud with deadlines and retries transient API failures. Time comes from an injected {@link Clock}
 * and {@link Sleeper}, so tests run a thirty-minute deadline in milliseconds.
 */
final class Poller {

    /** Pauses the calling thread; production uses {@link Thread#sleep}. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(Poller.class);

    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration interval;
    private final int attempts;
    private final Duration backoff;

    Poller(Clock clock, Sleeper sleeper, Duration interval, int attempts, Duration backoff) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.interval = interval;
        this.attempts = Math.max(1, attempts);
        this.backoff = backoff;
    }

    Clock clock() {
        return clock;
    }

    /**
     * Calls {@code probe} every poll interval until it returns a value. A transient failure is logged and polled
     * through; at the deadline the last transient failure is thrown if the API was failing, TIMEOUT otherwise.
     */
    <T> T until(String what, Duration timeout, Supplier<Optional<T>> probe) {
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            VmImageException transientFailure = null;
            try {
                Optional<T> result = probe.get();
                if (result.isPresent()) {
                    return result.get();
                }
            } catch (RuntimeException e) {
                transientFailure = OpenStackErrors.classify(what, e);
                if (!transientFailure.retryable()) {
                    throw transientFailure;
                }
                LOG.warn("{} (polling on)", transientFailure.getMessage());
            }
            if (!clock.instant().isBefore(deadline)) {
                throw transientFailure != null ? transientFailure
                        : new VmImageException(VmFailureReason.TIMEOUT, what + ": not done within " + timeout);
            }
            pause(what, interval);
        }
    }

    /** Calls {@code call}, retrying transient failures with doubling back-off; for idempotent calls only. */
    <T> T retry(String what, Supplier<T> call) {
        Duration wait = backoff;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                VmImageException failure = OpenStackErrors.classify(what, e);
                if (!failure.retryable() || attempt >= attempts) {
                    throw failure;
                }
                LOG.warn("{} (attempt {} of {})", failure.getMessage(), attempt, attempts);
                pause(what, wait);
                wait = wait.multipliedBy(2);
            }
        }
    }

    private void pause(String what, Duration duration) {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmImageException(VmFailureReason.INFRASTRUCTURE, what + ": interrupted", e);
        }
    }
}

package io.slipway.common.requests;

import io.slipway.common.requests.RequestStates.Staleness;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * The staleness of one run's work, as the stage doing it asks: is the run stale now, and call me once when it becomes
 * stale while the work goes on. {@link RequestStates#watch} makes one from the one rule ({@link Staleness#of}); a run
 * of no pull or merge request is never stale.
 */
public interface StalenessWatch {

    /** The watch of work that never goes stale: a push's run, or a stage that does not read requests. */
    StalenessWatch NEVER = new StalenessWatch() {
        @Override
        public Optional<Staleness> now() {
            return Optional.empty();
        }

        @Override
        public Subscription whenStale(Consumer<Staleness> action) {
            return () -> { };
        }
    };

    /** Why the run's work should stop now, or empty while it is still wanted. */
    Optional<Staleness> now();

    /**
     * Calls {@code action} at most once, on a thread of its own (it may block), when a state read after this call
     * makes the run stale; closing the returned subscription stops that. Ask {@link #now} after subscribing, so that
     * no change falls between the two.
     */
    Subscription whenStale(Consumer<Staleness> action);

    /** Ends a {@link #whenStale} subscription. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}

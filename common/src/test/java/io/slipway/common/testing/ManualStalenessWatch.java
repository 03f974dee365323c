package io.slipway.common.testing;

import io.slipway.common.requests.RequestStates.Staleness;
import io.slipway.common.requests.StalenessWatch;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A {@link StalenessWatch} a test drives: stale from the start ({@link #staleNow}) or made stale later ({@link #fire}). */
public final class ManualStalenessWatch implements StalenessWatch {

    private final List<Consumer<Staleness>> actions = new CopyOnWriteArrayList<>();
    private volatile Staleness now;

    /** A watch whose run is stale already. */
    public static ManualStalenessWatch staleNow(Staleness staleness) {
        ManualStalenessWatch watch = new ManualStalenessWatch();
        watch.now = staleness;
        return watch;
    }

    /** The run becomes stale: {@link #now} says so and every subscribed action runs, on the caller's thread. */
    public void fire(Staleness staleness) {
        now = staleness;
        actions.forEach(action -> action.accept(staleness));
    }

    /** Whether a stage is subscribed (it is while its work runs). */
    public boolean subscribed() {
        return !actions.isEmpty();
    }

    @Override
    public Optional<Staleness> now() {
        return Optional.ofNullable(now);
    }

    @Override
    public Subscription whenStale(Consumer<Staleness> action) {
        actions.add(action);
        return () -> actions.remove(action);
    }
}

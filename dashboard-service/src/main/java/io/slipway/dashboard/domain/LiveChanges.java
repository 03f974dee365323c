package io.slipway.dashboard.domain;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Hands each {@link RunChange} to every subscriber (the live pages' event streams), after the change was committed.
 * A subscriber that throws is dropped, so one broken stream cannot stop the others or the projection.
 */
public final class LiveChanges {

    private final List<Consumer<RunChange>> subscribers = new CopyOnWriteArrayList<>();

    /** Subscribes {@code subscriber}; closing the returned handle unsubscribes it. */
    public AutoCloseable subscribe(Consumer<RunChange> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /** Announces a committed change to every subscriber, on the caller's thread; subscribers must not block. */
    public void publish(RunChange change) {
        for (Consumer<RunChange> subscriber : subscribers) {
            try {
                subscriber.accept(change);
            } catch (RuntimeException e) {
                subscribers.remove(subscriber);
            }
        }
    }

    /** How many subscribers are listening (for health and tests). */
    public int subscribers() {
        return subscribers.size();
    }
}

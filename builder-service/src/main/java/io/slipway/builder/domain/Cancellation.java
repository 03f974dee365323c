package io.slipway.builder.domain;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * Lets the service stop a running build: adapters register what stops their current step (closing the Docker
 * stream makes the engine kill the build).
 */
public final class Cancellation {

    private final CountDownLatch cancelled = new CountDownLatch(1);
    private final List<Runnable> actions = new CopyOnWriteArrayList<>();

    public void cancel() {
        cancelled.countDown();
        actions.forEach(Runnable::run);
    }

    public boolean isCancelled() {
        return cancelled.getCount() == 0;
    }

    /** Runs {@code stop} if the build is cancelled before the returned handle is closed. */
    public AutoCloseable whileRunning(Runnable stop) {
        actions.add(stop);
        if (isCancelled()) {
            stop.run();
        }
        return () -> actions.remove(stop);
    }
}

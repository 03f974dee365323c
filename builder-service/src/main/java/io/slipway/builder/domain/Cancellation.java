package io.slipway.builder.domain;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets the service stop a running build: adapters register what stops their current step (closing the Docker
 * stream makes the engine kill the build), and waits between retries end at once when the build is cancelled.
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

    /**
     * Waits for {@code duration}.
     *
     * @throws BuildInterrupted when the build is cancelled or the thread interrupted meanwhile
     */
    public void pause(Duration duration) {
        try {
            if (cancelled.await(duration.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new BuildInterrupted("build cancelled while waiting to retry");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildInterrupted("interrupted while waiting to retry");
        }
    }
}

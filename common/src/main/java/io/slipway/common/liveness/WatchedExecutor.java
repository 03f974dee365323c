package io.slipway.common.liveness;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;

/**
 * A scheduled thread pool that says when a task ends and what ended it. A pool keeps its threads when a task dies
 * (the {@link Future} swallows even an {@link Error}), so a task that is a thread's whole life, such as a Kafka
 * listener's poll loop, would otherwise end unseen.
 */
public final class WatchedExecutor extends ScheduledThreadPoolExecutor {

    /** Told on the pool thread that ran a task, right after the task ended. */
    @FunctionalInterface
    public interface Watcher {
        /** @param cause what ended the task, or null when it returned */
        void ended(Thread thread, Throwable cause);
    }

    private final Watcher watcher;

    public WatchedExecutor(int corePoolSize, ThreadFactory threads, Watcher watcher) {
        super(corePoolSize, threads);
        this.watcher = watcher;
    }

    @Override
    protected void afterExecute(Runnable task, Throwable thrown) {
        super.afterExecute(task, thrown);
        Throwable cause = thrown;
        if (task instanceof Future<?> future) {
            if (!future.isDone()) {
                return; // a periodic task between two runs
            }
            try {
                future.get();
            } catch (ExecutionException e) {
                cause = e.getCause();
            } catch (CancellationException e) {
                cause = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        watcher.ended(Thread.currentThread(), cause);
    }
}
